#include "analysis/path_inference.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <stdexcept>

namespace alprsim {

namespace {
struct Arc {
    double seconds = 0.0;
    double metres = 0.0;
};
// Compressed sparse rows: arcs and their weights lie in contiguous arrays, so the thousands of
// searches run from cache rather than chasing a pointer per arc.
using BoostGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, Arc>;

// Arcs grouped by source vertex, each source's arcs in the order added.
struct ArcList {
    std::vector<std::pair<uint32_t, uint32_t>> ends;
    std::vector<Arc> arcs;
    void add(uint32_t from, uint32_t to, Arc arc) {
        ends.emplace_back(from, to);
        arcs.push_back(arc);
    }
    BoostGraph build(size_t vertices) const {
        std::vector<size_t> order(ends.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ends[a].first < ends[b].first; });
        std::vector<std::pair<uint32_t, uint32_t>> sortedEnds;
        std::vector<Arc> sortedArcs;
        for (size_t i : order) {
            sortedEnds.push_back(ends[i]);
            sortedArcs.push_back(arcs[i]);
        }
        return BoostGraph(boost::edges_are_sorted, sortedEnds.begin(), sortedEnds.end(), sortedArcs.begin(), vertices);
    }
};

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kDefaultSpeed = 13.89;  // 50 km/h where the network gives no limit

inline uint32_t startVertex(uint32_t edge) { return 2 * edge; }
inline uint32_t endVertex(uint32_t edge) { return 2 * edge + 1; }
}  // namespace

struct PathInference::Graph {
    BoostGraph forward;
    BoostGraph backward;              // every arc reversed: searches towards a camera
    std::vector<double> edgeSeconds;  // free-flow time along each road edge
};

bool CameraLeg::plausible(double elapsed, const AnalysisConfig& c) const {
    if (!reachable() || elapsed < 0) return false;
    return freeFlowSeconds <= elapsed * c.maxSpeedFactor + c.speedSlackSeconds &&
           elapsed <= freeFlowSeconds * c.maxDelayFactor + c.maxDelaySeconds;
}

namespace {
std::vector<double> shortestFrom(const BoostGraph& g, uint32_t source, double Arc::*weight) {
    std::vector<double> dist(boost::num_vertices(g), kInf);
    boost::dijkstra_shortest_paths(
        g, source,
        boost::distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
            .weight_map(boost::get(weight, g))
            .distance_inf(kInf));
    return dist;
}

// Dijkstra stopped once the nearest unsettled vertex lies beyond `bound`: Boost.Graph's way to
// end a search early is an exception from the visitor.
struct BeyondBound {};
struct StopBeyond : boost::default_dijkstra_visitor {
    const std::vector<double>* dist;
    double bound;
    template <typename Vertex, typename G>
    void examine_vertex(Vertex v, const G&) const {
        if ((*dist)[v] > bound) throw BeyondBound{};
    }
};

// The vertices within `bound` of `source` (by `weight`), with their distances, by vertex.
std::vector<std::pair<uint32_t, float>> nearbyFrom(const BoostGraph& g, uint32_t source, double Arc::*weight, double bound) {
    std::vector<double> dist(boost::num_vertices(g), kInf);
    StopBeyond stop;
    stop.dist = &dist;
    stop.bound = bound;
    try {
        boost::dijkstra_shortest_paths(
            g, source,
            boost::distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
                .weight_map(boost::get(weight, g))
                .distance_inf(kInf)
                .visitor(stop));
    } catch (const BeyondBound&) {}
    std::vector<std::pair<uint32_t, float>> near;
    for (uint32_t v = 0; v < dist.size(); ++v)
        if (dist[v] <= bound) near.emplace_back(v, static_cast<float>(dist[v]));
    return near;
}

float lookup(const std::vector<std::pair<uint32_t, float>>& near, uint32_t vertex) {
    const auto it = std::lower_bound(near.begin(), near.end(), std::make_pair(vertex, -kInf),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return it != near.end() && it->first == vertex ? it->second : std::numeric_limits<float>::infinity();
}
}  // namespace

PathInference::PathInference(const AnalysisData& data, const AnalysisConfig& config)
    : data_(data), config_(config), graph_(new Graph), legs_(std::make_unique<std::atomic<LegRow*>[]>(data.cameras.size())) {
    const auto& edges = data.roads.edges();
    const size_t vertices = 2 * edges.size();
    ArcList forward, backward;
    for (uint32_t u = 0; u < edges.size(); ++u) {
        const double speed = edges[u].maxSpeed > 0 ? edges[u].maxSpeed : kDefaultSpeed;
        const Arc along{edges[u].length / speed, edges[u].length};
        graph_->edgeSeconds.push_back(along.seconds);
        forward.add(startVertex(u), endVertex(u), along);
        backward.add(endVertex(u), startVertex(u), along);
        for (size_t w : edges[u].successors) {
            forward.add(endVertex(u), startVertex(static_cast<uint32_t>(w)), Arc{});
            backward.add(startVertex(static_cast<uint32_t>(w)), endVertex(u), Arc{});
        }
    }
    graph_->forward = forward.build(vertices);
    graph_->backward = backward.build(vertices);
    std::vector<uint32_t> slotOfEdge(edges.size(), UINT32_MAX), edgeOfSlot;
    for (const AnalysisCamera& c : data.cameras) {
        if (slotOfEdge[c.edge] == UINT32_MAX) {
            slotOfEdge[c.edge] = static_cast<uint32_t>(edgeOfSlot.size());
            edgeOfSlot.push_back(c.edge);
        }
        searchOf_.push_back(slotOfEdge[c.edge]);
    }
    const size_t slots = edgeOfSlot.size();
    forwardSeconds_.resize(slots);
    backwardSeconds_.resize(slots);
    forwardMetres_.resize(slots);
    backwardMetres_.resize(slots);
    tbb::parallel_for(size_t(0), slots, [&](size_t c) {
        const uint32_t edge = edgeOfSlot[c];
        // Forward from the end of the camera's edge, backward to its start: offsets along the edge
        // itself are added at query time.
        forwardSeconds_[c] = shortestFrom(graph_->forward, endVertex(edge), &Arc::seconds);
        backwardSeconds_[c] = shortestFrom(graph_->backward, startVertex(edge), &Arc::seconds);
        // Road distances are only ever compared with the endpoint radius: search no further.
        forwardMetres_[c] = nearbyFrom(graph_->forward, endVertex(edge), &Arc::metres, config.endpointRadiusMetres);
        backwardMetres_[c] = nearbyFrom(graph_->backward, startVertex(edge), &Arc::metres, config.endpointRadiusMetres);
    });
}

PathInference::~PathInference() {
    for (size_t from = 0; from < data_.cameras.size(); ++from) {
        LegRow* row = legs_[from].load();
        if (!row) continue;
        for (size_t to = 0; to < data_.cameras.size(); ++to) delete row[to].load();
        delete[] row;
    }
    delete graph_;
}

double PathInference::metresFromEdgeStart(uint32_t edge, uint32_t camera) const {
    return lookup(backwardMetres_[searchOf_[camera]], startVertex(edge)) + data_.cameras[camera].position;
}

double PathInference::metresToEdgeEnd(uint32_t camera, uint32_t edge) const {
    const AnalysisCamera& c = data_.cameras[camera];
    return (data_.roads.edges()[c.edge].length - c.position) + lookup(forwardMetres_[searchOf_[camera]], endVertex(edge));
}

const CameraLeg& PathInference::leg(uint32_t from, uint32_t to) const {
    const size_t cameras = data_.cameras.size();
    if (from >= cameras || to >= cameras) throw std::out_of_range("PathInference::leg: no such camera");
    std::atomic<LegRow*>& rowSlot = legs_[from];
    LegRow* row = rowSlot.load(std::memory_order_acquire);
    if (!row) {
        auto fresh = std::make_unique<LegRow[]>(cameras);  // value-initialised: every slot null
        if (rowSlot.compare_exchange_strong(row, fresh.get(), std::memory_order_acq_rel)) row = fresh.release();
        // else another thread installed its row first: `row` now holds it and `fresh` is freed
    }
    LegRow& slot = row[to];
    const CameraLeg* leg = slot.load(std::memory_order_acquire);
    if (leg) return *leg;
    auto computed = std::make_unique<const CameraLeg>(computeLeg(from, to));
    if (slot.compare_exchange_strong(leg, computed.get(), std::memory_order_acq_rel)) return *computed.release();
    return *leg;  // computed concurrently by another thread (the same value); ours is dropped
}

CameraLeg PathInference::computeLeg(uint32_t from, uint32_t to) const {
    const AnalysisCamera& A = data_.cameras[from];
    const AnalysisCamera& B = data_.cameras[to];
    const auto& edges = data_.roads.edges();
    const auto& seconds = graph_->edgeSeconds;
    const double secondsPerMetreA = edges[A.edge].length > 0 ? seconds[A.edge] / edges[A.edge].length : 0.0;
    const double secondsPerMetreB = edges[B.edge].length > 0 ? seconds[B.edge] / edges[B.edge].length : 0.0;
    CameraLeg leg;
    if (A.edge == B.edge && B.position >= A.position) {  // further along the same edge
        leg.freeFlowSeconds = (B.position - A.position) * secondsPerMetreA;
        leg.fastestEdges = {A.edge};
        return leg;
    }
    const std::vector<double>& fromA = forwardSeconds_[searchOf_[from]];
    const std::vector<double>& toB = backwardSeconds_[searchOf_[to]];
    const double core = fromA[startVertex(B.edge)];
    if (core == kInf) return leg;
    leg.freeFlowSeconds = (edges[A.edge].length - A.position) * secondsPerMetreA + core + B.position * secondsPerMetreB;

    // The corridor: edges on some path within the ambiguity margin, each as the interval of
    // time-from-A it spans. Every such path covers [0, core] with its edges' intervals, so an edge
    // alone over some stretch of that range lies on all of them. Beyond `core` that no longer
    // holds (the fastest path ends there), so spans are cut at `core`: a slower path's edge that
    // runs past it is alone out there without being on every path.
    struct Span {
        double begin, end;
        uint32_t edge;
    };
    std::vector<Span> corridor;
    const double limit = core * (1.0 + config_.pathAmbiguityShare) + 1e-9;
    for (uint32_t u = 0; u < edges.size(); ++u) {
        if (u == A.edge || u == B.edge) continue;
        const double begin = fromA[startVertex(u)];
        if (begin == kInf) continue;
        const double end = begin + seconds[u];
        if (end + toB[endVertex(u)] <= limit && std::min(end, core) > begin) corridor.push_back({begin, std::min(end, core), u});
    }
    std::vector<double> cuts;
    for (const Span& s : corridor) {
        cuts.push_back(s.begin);
        cuts.push_back(s.end);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    auto at = [&](double x) { return static_cast<size_t>(std::lower_bound(cuts.begin(), cuts.end(), x) - cuts.begin()); };
    std::vector<int> depth(cuts.size() + 1, 0);  // spans covering elementary segment [cuts[i], cuts[i+1])
    for (const Span& s : corridor) {
        ++depth[at(s.begin)];
        --depth[at(s.end)];
    }
    std::vector<size_t> aloneBefore(cuts.size() + 1, 0);  // segments before i covered by exactly one span
    int running = 0;
    for (size_t i = 0; i + 1 < cuts.size() + 1; ++i) {
        running += depth[i];
        aloneBefore[i + 1] = aloneBefore[i] + (running == 1 ? 1 : 0);
    }
    for (const Span& s : corridor)
        if (aloneBefore[at(s.end)] - aloneBefore[at(s.begin)] > 0) leg.certainEdges.push_back(s.edge);
    std::sort(leg.certainEdges.begin(), leg.certainEdges.end());

    // The fastest path itself, walked back from B's edge along arcs that are tight in fromA;
    // ties go to the lowest vertex so the choice is reproducible.
    std::vector<uint32_t> reversed{B.edge};
    uint32_t at_vertex = startVertex(B.edge);
    const uint32_t sourceVertex = endVertex(A.edge);
    for (size_t steps = 0; at_vertex != sourceVertex && steps < boost::num_vertices(graph_->forward); ++steps) {
        uint32_t best = UINT32_MAX;
        for (auto [e, end] = boost::out_edges(static_cast<BoostGraph::vertex_descriptor>(at_vertex), graph_->backward); e != end;
             ++e) {
            const auto prev = static_cast<uint32_t>(boost::target(*e, graph_->backward));
            if (fromA[prev] + graph_->backward[*e].seconds == fromA[at_vertex] && prev < best) best = prev;
        }
        if (best == UINT32_MAX) break;  // cannot happen for a reachable vertex
        if (best % 2 == 0 && best + 1 == at_vertex) reversed.push_back(best / 2);
        at_vertex = best;
    }
    reversed.push_back(A.edge);
    leg.fastestEdges.assign(reversed.rbegin(), reversed.rend());
    return leg;
}

}  // namespace alprsim
