#include "sensors/placement.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/rng.h"
#include "sim/road_network.h"
#include "sim/simulation.h"

namespace alprsim {

namespace {

std::string cameraId(size_t index) { return fmt::format("cam{:03}", index); }

// An agency's cameras are numbered within the agency, so that one agency's sites never
// renumber another's: a capture's recognition draw is keyed by its camera's id
// (pipeline/simulation_stage.cpp), and renumbering would redraw the other agencies' reads.
std::string agencyCameraId(const std::string& agency, size_t index) {
    return fmt::format("{}-cam{:03}", agencyIdPrefix(agency), index);
}

Camera cameraAt(const RoadNetwork& network, size_t edge, double position, std::string id, std::string agency) {
    const RoadEdge& e = network.edges()[edge];
    Camera c;
    c.id = std::move(id);
    c.agency = std::move(agency);
    c.edge = e.id;
    c.position = position;
    c.where = network.pointAlong(edge, position);
    c.town = e.town;
    return c;
}

// Edges in `town` (all edges if it is empty); InputError if the town has none.
std::vector<size_t> edgesInTown(const PlacementRequest& r, const RoadNetwork& network) {
    std::vector<size_t> out;
    for (size_t i = 0; i < network.edges().size(); ++i)
        if (r.town.empty() || boost::iequals(network.edges()[i].town, r.town)) out.push_back(i);
    if (out.empty()) throw InputError(r.source, r.townPath, "a town with roads in this network; '" + r.town + "' has none");
    return out;
}

// Candidates ranked by a score, highest first; ties by edge id (candidates come sorted by id).
std::vector<size_t> rankBy(std::vector<size_t> candidates, const auto& score) {
    std::stable_sort(candidates.begin(), candidates.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
    return candidates;
}

void requireEnough(const PlacementRequest& r, size_t available, const std::string& what) {
    if (r.count > available)
        throw InputError(r.source, r.countPath,
                         "at most " + std::to_string(available) + " cameras (" + what + " of this network)");
}

// The edges in r.town (all edges if it is empty); InputError if fewer than r.count.
std::vector<size_t> enoughInTown(const PlacementRequest& r, const RoadNetwork& network) {
    std::vector<size_t> candidates = edgesInTown(r, network);
    requireEnough(r, candidates.size(), r.town.empty() ? "one per drivable edge" : "one per edge in " + r.town);
    return candidates;
}

// The first `count` of the ranked edges that keep sites apart, as real deployments do: none
// within minSpacing metres of a site already taken (camera at the edge's middle), none facing
// an intersection another site faces. Throws InputError when fewer fit.
std::vector<size_t> spreadOut(const std::vector<size_t>& ranked, const PlacementRequest& r, const RoadNetwork& network) {
    if (r.minSpacingMetres <= 0) return ranked;
    std::vector<size_t> chosen;
    std::vector<LatLon> sites;
    std::set<std::string> junctions;
    for (size_t e : ranked) {
        if (chosen.size() == r.count) break;
        const LatLon at = network.midpoint(e);
        const std::string& junction = network.edges()[e].toJunction;
        if (!junction.empty() && junctions.count(junction)) continue;
        if (std::any_of(sites.begin(), sites.end(), [&](LatLon s) { return haversineMetres(s, at) < r.minSpacingMetres; }))
            continue;
        chosen.push_back(e);
        sites.push_back(at);
        junctions.insert(junction);
    }
    if (chosen.size() < r.count)
        throw InputError(r.source, r.countPath,
                         "at most " + std::to_string(chosen.size()) + " cameras: no more sites fit " +
                             std::to_string(static_cast<int>(r.minSpacingMetres)) + " m apart (min_spacing_m)");
    return chosen;
}

std::vector<size_t> randomChoice(std::vector<size_t> candidates, size_t count, uint64_t seed) {
    Rng rng = Rng::stream(seed, "camera-placement");
    for (size_t i = 0; i < count; ++i) std::swap(candidates[i], candidates[i + rng.below(candidates.size() - i)]);
    candidates.resize(count);
    return candidates;
}

const AgencyProgram* programOf(const std::vector<AgencyProgram>& agencies, const std::string& town) {
    for (const AgencyProgram& a : agencies)
        if (!town.empty() && boost::iequals(a.town, town)) return &a;
    return nullptr;
}

// Each agency's sites on the busiest edges of its own town, kept apart from its own sites as
// spreadOut keeps them (agencies do not coordinate their sites with one another).
std::vector<Camera> placeByQuota(const PlacementRequest& r, const std::vector<TripPlan>& plans, const RoadNetwork& network) {
    const std::vector<size_t> trips = tripsPerEdge(plans, network);
    std::vector<Camera> cameras;
    for (const AgencyQuota& q : r.quotas) {
        if (q.count == 0) continue;
        PlacementRequest one = r;
        one.town = q.town;
        one.count = q.count;
        one.countPath = q.jsonPath + "/fixed";
        one.townPath = q.jsonPath;
        std::vector<size_t> chosen = spreadOut(rankBy(enoughInTown(one, network), trips), one, network);
        chosen.resize(q.count);
        for (size_t i = 0; i < chosen.size(); ++i)
            cameras.push_back(
                cameraAt(network, chosen[i], network.edges()[chosen[i]].length / 2, agencyCameraId(q.agency, i), q.agency));
    }
    return cameras;
}

}  // namespace

std::vector<size_t> tripsPerEdge(const std::vector<TripPlan>& plans, const RoadNetwork& network) {
    std::vector<size_t> trips(network.edges().size(), 0);
    for (const TripPlan& p : plans)
        for (uint32_t e : p.route) ++trips.at(e);
    return trips;
}

std::vector<size_t> borderEdges(const RoadNetwork& network, const std::string& town) {
    const auto& edges = network.edges();
    std::vector<bool> enteredFromOutside(edges.size(), false);
    for (const RoadEdge& from : edges) {
        if (boost::iequals(from.town, town)) continue;
        for (size_t to : from.successors)
            if (boost::iequals(edges[to].town, town)) enteredFromOutside[to] = true;
    }
    std::vector<size_t> out;
    for (size_t i = 0; i < edges.size(); ++i)
        if (enteredFromOutside[i]) out.push_back(i);
    return out;
}

std::vector<double> edgeBetweenness(const RoadNetwork& network) {
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                        boost::property<boost::edge_weight_t, double>>;
    const auto& edges = network.edges();
    Graph graph(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) {
        // Moving from edge i to a successor costs the time to drive along i.
        const double seconds = edges[i].length / std::max(edges[i].maxSpeed, 1.0);
        for (size_t to : edges[i].successors) boost::add_edge(i, to, seconds, graph);
    }
    std::vector<double> centrality(edges.size(), 0.0);
    boost::brandes_betweenness_centrality(
        graph,
        boost::centrality_map(boost::make_iterator_property_map(centrality.begin(), boost::get(boost::vertex_index, graph)))
            .weight_map(boost::get(boost::edge_weight, graph)));
    return centrality;
}

std::vector<Camera> placeListedCameras(const std::vector<CameraSite>& sites, const RoadNetwork& network,
                                       const Simulation& snapper) {
    std::vector<Camera> cameras;
    for (size_t i = 0; i < sites.size(); ++i) {
        const CameraSite& s = sites[i];
        std::string edgeId;
        double position = NAN;
        if (s.edge) {
            if (!network.contains(*s.edge))
                throw InputError(s.source, s.jsonPath + "/edge",
                                 "the id of a drivable edge of the network; '" + *s.edge + "' is not one");
            edgeId = *s.edge;
        } else {
            const auto snapped = snapper.snap(*s.where);
            if (!snapped || !network.contains(snapped->edge))
                throw InputError(s.source, s.jsonPath, "a point near a drivable road of the network");
            edgeId = snapped->edge;
            position = snapped->position;
        }
        const size_t edge = network.indexOf(edgeId);
        const double length = network.edges()[edge].length;
        if (s.position) {
            if (*s.position < 0 || *s.position > length)
                throw InputError(s.source, s.jsonPath + "/position",
                                 "a position between 0 and the edge's length (" + std::to_string(length) + " m)");
            position = *s.position;
        }
        if (std::isnan(position)) position = length / 2;
        cameras.push_back(cameraAt(network, edge, position, s.id.empty() ? cameraId(i) : s.id, s.agency));
    }
    return cameras;
}

std::vector<Camera> placeCameras(const PlacementRequest& r, const std::vector<TripPlan>& plans, const RoadNetwork& network) {
    std::vector<size_t> chosen;
    switch (r.strategy) {
        case CameraPlacement::BusiestEdges:
            chosen = spreadOut(rankBy(enoughInTown(r, network), tripsPerEdge(plans, network)), r, network);
            break;
        case CameraPlacement::Betweenness: {
            const auto candidates = enoughInTown(r, network);  // checked before the costly ranking
            chosen = spreadOut(rankBy(candidates, edgeBetweenness(network)), r, network);
            break;
        }
        case CameraPlacement::Border: {
            edgesInTown(r, network);  // the town must have roads here
            const auto candidates = borderEdges(network, r.town);
            requireEnough(r, candidates.size(), "the edges entering " + r.town);
            chosen = spreadOut(rankBy(candidates, tripsPerEdge(plans, network)), r, network);
            break;
        }
        case CameraPlacement::Random:
            chosen = randomChoice(enoughInTown(r, network), r.count, r.seed);
            break;
        case CameraPlacement::Agencies: {
            if (!r.quotas.empty()) return placeByQuota(r, plans, network);
            std::vector<size_t> candidates;
            for (size_t i : edgesInTown(r, network)) {
                const AgencyProgram* p = programOf(r.agencies, network.edges()[i].town);
                if (p && !p->optedOut) candidates.push_back(i);
            }
            requireEnough(r, candidates.size(), "the edges in towns that run ALPR and did not opt out");
            chosen = spreadOut(rankBy(candidates, tripsPerEdge(plans, network)), r, network);
            break;
        }
        case CameraPlacement::None:
        case CameraPlacement::Listed:
            return {};
    }
    chosen.resize(r.count);
    std::vector<Camera> cameras;
    std::map<std::string, size_t> placedByAgency;
    for (size_t i = 0; i < chosen.size(); ++i) {
        const size_t edge = chosen[i];
        std::string agency = r.agency, id = cameraId(i);
        if (r.strategy == CameraPlacement::Agencies) {
            agency = programOf(r.agencies, network.edges()[edge].town)->town;
            id = agencyCameraId(agency, placedByAgency[agency]++);
        }
        cameras.push_back(cameraAt(network, edge, network.edges()[edge].length / 2, id, agency));
    }
    return cameras;
}

}  // namespace alprsim
