#include "sensors/placement.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "sim/road_network.h"
#include "sim/simulation.h"

namespace alprsim {

namespace {

std::string cameraId(size_t index) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "cam%03zu", index);
    return buf;
}

FixedCamera cameraAt(const RoadNetwork& network, size_t edge, double position, std::string id, std::string agency) {
    const RoadEdge& e = network.edges()[edge];
    FixedCamera c;
    c.id = std::move(id);
    c.agency = std::move(agency);
    c.edge = e.id;
    c.position = position;
    c.where = network.pointAlong(edge, position);
    c.town = e.town;
    return c;
}

}  // namespace

std::vector<FixedCamera> placeListedCameras(const std::vector<CameraSite>& sites, const RoadNetwork& network,
                                            const Simulation& snapper) {
    std::vector<FixedCamera> cameras;
    for (size_t i = 0; i < sites.size(); ++i) {
        const CameraSite& s = sites[i];
        std::string edgeId;
        double position = NAN;
        if (s.edge) {
            if (!network.contains(*s.edge))
                throw InputError(s.source, s.jsonPath + "/edge", "the id of a drivable edge of the network; '" + *s.edge + "' is not one");
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

std::vector<FixedCamera> placeOnBusiestEdges(size_t count, const std::string& agency,
                                             const std::vector<TripPlan>& plans, const RoadNetwork& network,
                                             const std::string& source, const std::string& jsonPath) {
    const size_t available = network.edges().size();
    if (count > available)
        throw InputError(source, jsonPath, "at most " + std::to_string(available) +
                                               " cameras (one per drivable edge of this network)");
    std::vector<size_t> trips(available, 0);
    for (const TripPlan& p : plans)
        for (const std::string& e : p.route)
            if (network.contains(e)) ++trips[network.indexOf(e)];
    std::vector<size_t> order(available);
    for (size_t i = 0; i < available; ++i) order[i] = i;
    // Edges are sorted by id in RoadNetwork, so a stable sort breaks ties by id.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return trips[a] > trips[b]; });
    std::vector<FixedCamera> cameras;
    for (size_t i = 0; i < count; ++i) {
        const size_t edge = order[i];
        cameras.push_back(cameraAt(network, edge, network.edges()[edge].length / 2, cameraId(i), agency));
    }
    return cameras;
}

}  // namespace alprsim
