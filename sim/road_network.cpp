#include "sim/road_network.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace alprsim {

RoadNetwork::RoadNetwork(std::vector<RoadEdge> edges) : edges_(std::move(edges)) {
    index_.reserve(edges_.size());
    for (size_t i = 0; i < edges_.size(); ++i) index_.emplace(edges_[i].id, i);
}

size_t RoadNetwork::indexOf(const std::string& id) const {
    const auto it = index_.find(id);
    if (it == index_.end()) throw std::out_of_range("no edge '" + id + "' in the network");
    return it->second;
}

double RoadNetwork::totalLengthMetres() const {
    double total = 0.0;
    for (const RoadEdge& e : edges_) total += e.length;
    return total;
}

std::vector<uint32_t> RoadNetwork::edgeIndices(const std::vector<std::string>& route) const {
    std::vector<uint32_t> indices;
    indices.reserve(route.size());
    for (const std::string& id : route) indices.push_back(static_cast<uint32_t>(indexOf(id)));
    return indices;
}

std::vector<std::string> RoadNetwork::edgeIds(const std::vector<uint32_t>& route) const {
    std::vector<std::string> ids;
    ids.reserve(route.size());
    for (uint32_t e : route) ids.push_back(edges_.at(e).id);
    return ids;
}

double RoadNetwork::routeLengthMetres(const std::vector<uint32_t>& route) const {
    double total = 0.0;
    for (uint32_t e : route) total += edges_.at(e).length;
    return total;
}

LatLon RoadNetwork::pointAlong(size_t edge, double offset) const {
    const RoadEdge& e = edges_.at(edge);
    const auto& xy = e.shape;
    const auto& ll = e.shapeWgs84;
    if (xy.empty()) return {};
    // Lane shapes can be a little shorter or longer than the lane's nominal length; walk the
    // polyline by its own geometry, scaled so that offset == length reaches the end.
    double geometric = 0.0;
    for (size_t i = 1; i < xy.size(); ++i) geometric += std::hypot(xy[i].x - xy[i - 1].x, xy[i].y - xy[i - 1].y);
    double remaining = e.length > 0 ? std::clamp(offset, 0.0, e.length) * geometric / e.length : 0.0;
    for (size_t i = 1; i < xy.size(); ++i) {
        const double seg = std::hypot(xy[i].x - xy[i - 1].x, xy[i].y - xy[i - 1].y);
        if (remaining <= seg && seg > 0) {
            const double f = remaining / seg;
            return {ll[i - 1].lat + f * (ll[i].lat - ll[i - 1].lat), ll[i - 1].lon + f * (ll[i].lon - ll[i - 1].lon)};
        }
        remaining -= seg;
    }
    return ll.back();
}

}  // namespace alprsim
