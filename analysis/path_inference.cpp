#include "analysis/path_inference.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <stdexcept>

namespace alprsim {

namespace {
struct Arc {
    double seconds = 0.0;
    double metres = 0.0;
};
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, Arc>;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kDefaultSpeed = 13.89;  // 50 km/h where the network gives no limit

inline uint32_t startVertex(uint32_t edge) { return 2 * edge; }
inline uint32_t endVertex(uint32_t edge) { return 2 * edge + 1; }
}  // namespace

struct PathInference::Graph {
    BoostGraph forward;
    BoostGraph backward;            // every arc reversed: searches towards a camera
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

std::vector<float> toFloat(const std::vector<double>& v) { return {v.begin(), v.end()}; }
}  // namespace

PathInference::PathInference(const AnalysisData& data, const AnalysisConfig& config)
    : data_(data), config_(config), graph_(new Graph) {
    const auto& edges = data.roads.edges();
    const size_t vertices = 2 * edges.size();
    graph_->forward = BoostGraph(vertices);
    graph_->backward = BoostGraph(vertices);
    for (uint32_t u = 0; u < edges.size(); ++u) {
        const double speed = edges[u].maxSpeed > 0 ? edges[u].maxSpeed : kDefaultSpeed;
        const Arc along{edges[u].length / speed, edges[u].length};
        graph_->edgeSeconds.push_back(along.seconds);
        boost::add_edge(startVertex(u), endVertex(u), along, graph_->forward);
        boost::add_edge(endVertex(u), startVertex(u), along, graph_->backward);
        for (size_t w : edges[u].successors) {
            boost::add_edge(endVertex(u), startVertex(static_cast<uint32_t>(w)), Arc{}, graph_->forward);
            boost::add_edge(startVertex(static_cast<uint32_t>(w)), endVertex(u), Arc{}, graph_->backward);
        }
    }
    const size_t cameras = data.cameras.size();
    forwardSeconds_.resize(cameras);
    backwardSeconds_.resize(cameras);
    forwardMetres_.resize(cameras);
    backwardMetres_.resize(cameras);
    tbb::parallel_for(size_t(0), cameras, [&](size_t c) {
        const uint32_t edge = data.cameras[c].edge;
        // Forward from the end of the camera's edge, backward to its start: offsets along the edge
        // itself are added at query time.
        forwardSeconds_[c] = shortestFrom(graph_->forward, endVertex(edge), &Arc::seconds);
        backwardSeconds_[c] = shortestFrom(graph_->backward, startVertex(edge), &Arc::seconds);
        forwardMetres_[c] = toFloat(shortestFrom(graph_->forward, endVertex(edge), &Arc::metres));
        backwardMetres_[c] = toFloat(shortestFrom(graph_->backward, startVertex(edge), &Arc::metres));
    });
}

PathInference::~PathInference() { delete graph_; }

double PathInference::metresFromEdgeStart(uint32_t edge, uint32_t camera) const {
    return backwardMetres_[camera][startVertex(edge)] + data_.cameras[camera].position;
}

double PathInference::metresToEdgeEnd(uint32_t camera, uint32_t edge) const {
    const AnalysisCamera& c = data_.cameras[camera];
    return (data_.roads.edges()[c.edge].length - c.position) + forwardMetres_[camera][endVertex(edge)];
}

void PathInference::prepare(std::vector<std::pair<uint32_t, uint32_t>> pairs) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::erase_if(pairs, [&](const auto& p) { return legs_.count(p) != 0; });
    std::vector<CameraLeg> computed(pairs.size());
    tbb::parallel_for(size_t(0), pairs.size(), [&](size_t i) { computed[i] = computeLeg(pairs[i].first, pairs[i].second); });
    for (size_t i = 0; i < pairs.size(); ++i) legs_.emplace(pairs[i], std::move(computed[i]));
}

const CameraLeg& PathInference::leg(uint32_t from, uint32_t to) const {
    const auto it = legs_.find({from, to});
    if (it == legs_.end()) throw std::logic_error("PathInference::leg called for a pair not prepared");
    return it->second;
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
    const std::vector<double>& fromA = forwardSeconds_[from];
    const std::vector<double>& toB = backwardSeconds_[to];
    const double core = fromA[startVertex(B.edge)];
    if (core == kInf) return leg;
    leg.freeFlowSeconds =
        (edges[A.edge].length - A.position) * secondsPerMetreA + core + B.position * secondsPerMetreB;

    // The corridor: edges on some path within the ambiguity margin, each as the interval of
    // time-from-A it spans. Every such path covers [0, core] with its edges' intervals, so an edge
    // alone over some stretch of that range lies on all of them.
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
        if (end + toB[endVertex(u)] <= limit && end > begin) corridor.push_back({begin, end, u});
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
        for (auto [e, end] = boost::out_edges(at_vertex, graph_->backward); e != end; ++e) {
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
