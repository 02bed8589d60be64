#pragma once
// Where fixed cameras go. A scenario lists its sites, or gives a budget of N cameras and a
// strategy that picks N road edges (a camera at each one's middle):
// - volume (alias busiest-edges): the edges the most planned trips use; without rerouting this
//   is the traffic a warm-up run would count;
// - betweenness: the edges on the most shortest (fastest) paths between all pairs of edges;
// - border: the edges by which roads enter a town (the "fence"), busiest first;
// - random: uniformly at random (deterministic by seed);
// - agencies: busiest edges in towns that run ALPR per alpr-agencies.csv, none in towns that
//   opted out; each camera belongs to its town's agency.
// Cameras are numbered cam000, cam001, ... in placement order, except under agencies, where each
// agency numbers its own (boston-cam000, ..., cambridge-cam000, ...: sensors/fixed_camera.h
// agencyIdPrefix), so that one agency's sites never renumber, and so redraw the reads of, another's.
// The ranked strategies (all but random) keep sites min_spacing_m apart and one to an
// intersection when a scenario asks (real deployments spread their sites; 0, the default,
// keeps the plain ranking the shipped scenarios were measured with).
// A strategy whose candidates are fewer than N throws InputError naming the JSON path.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "sensors/fixed_camera.h"
#include "sim/trip_log.h"

namespace alprsim {

class RoadNetwork;
class Simulation;

// One listed site: an edge (and optional position), or a WGS84 point snapped to the nearest
// drivable edge. `source` and `jsonPath` say where it was written, for error messages.
struct CameraSite {
    std::string id;  // empty: numbered automatically
    std::optional<std::string> edge;
    std::optional<double> position;  // metres from the edge's start; default: its middle
    std::optional<LatLon> where;
    std::string agency;
    std::string source;
    std::string jsonPath;
};

// A town's ALPR programme as alpr-agencies.csv records it.
struct AgencyProgram {
    std::string town;
    std::string program;    // "state-grant-2011", "independent-purchase"
    bool optedOut = false;  // e.g. Brookline, which refused the state programme in 2011
};

// How the fixed cameras are placed: none, listed sites, or a budgeted strategy (above).
enum class CameraPlacement { None, Listed, BusiestEdges, Betweenness, Border, Random, Agencies };

// One agency's fixed sites in a region (scenario "agencies" section): `count` sites on the
// busiest edges of its own town (stand-in roads have no town and get none).
struct AgencyQuota {
    std::string agency;
    std::string town;
    size_t count = 0;
    std::string jsonPath;  // the agency's entry (its count at jsonPath + "/fixed"), for errors
};

// A budgeted placement request, with where each of its fields was written.
struct PlacementRequest {
    CameraPlacement strategy = CameraPlacement::BusiestEdges;  // a budgeted one
    size_t count = 0;
    std::string agency;
    std::string town;                     // border: required; others: optional filter ("" = all)
    uint64_t seed = 1;                    // random
    std::vector<AgencyProgram> agencies;  // agencies
    std::vector<AgencyQuota> quotas;      // agencies, per agency in its town (then count is their sum)
    double minSpacingMetres = 0;          // ranked strategies: 0 = no spacing
    std::string source;                   // file
    std::string countPath, townPath;      // JSON paths
};

std::vector<Camera> placeListedCameras(const std::vector<CameraSite>& sites, const RoadNetwork& network,
                                       const Simulation& snapper);
std::vector<Camera> placeCameras(const PlacementRequest& request, const std::vector<TripPlan>& plans, const RoadNetwork& network);

// Building blocks, exposed for tests.
// Planned trips through each edge.
std::vector<size_t> tripsPerEdge(const std::vector<TripPlan>& plans, const RoadNetwork& network);
// Edges in `town` entered from an edge outside it: the first edge inside the town (by midpoint)
// of every road that crosses the boundary into it. Sorted by index.
std::vector<size_t> borderEdges(const RoadNetwork& network, const std::string& town);
// Brandes betweenness centrality of every edge in the edge-to-edge graph, weighted by free-flow
// travel time (Boost.Graph).
std::vector<double> edgeBetweenness(const RoadNetwork& network);

}  // namespace alprsim
