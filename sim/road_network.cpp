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

double RoadNetwork::routeLengthMetres(const std::vector<std::string>& route) const {
    double total = 0.0;
    for (const std::string& id : route)
        if (const auto it = index_.find(id); it != index_.end()) total += edges_[it->second].length;
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
