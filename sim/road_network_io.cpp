#include "sim/road_network_io.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"

namespace alprsim {

nlohmann::json roadNetworkToJson(const RoadNetwork& network) {
    nlohmann::json edges = nlohmann::json::array();
    for (const RoadEdge& e : network.edges()) {
        nlohmann::json wgs = nlohmann::json::array(), xy = nlohmann::json::array();
        for (const LatLon& p : e.shapeWgs84) wgs.push_back({p.lon, p.lat});
        for (const Point2& p : e.shape) xy.push_back({p.x, p.y});
        edges.push_back({{"id", e.id},
                         {"name", e.name},
                         {"length", e.length},
                         {"max_speed", e.maxSpeed},
                         {"lanes", e.lanes},
                         {"town", e.town},
                         {"successors", e.successors},
                         {"road_class", e.roadClass},
                         {"from", e.fromJunction},
                         {"to", e.toJunction},
                         {"starts_at_dead_end", e.startsAtDeadEnd},
                         {"ends_at_dead_end", e.endsAtDeadEnd},
                         {"shape", wgs},
                         {"shape_xy", xy}});
    }
    return {{"format", "alprsim-roads"}, {"version", 1}, {"edges", edges}};
}

RoadNetwork roadNetworkFromJson(const nlohmann::json& doc, const std::string& file) {
    if (!doc.is_object() || doc.value("format", "") != "alprsim-roads")
        throw InputError(file, "/format", "\"alprsim-roads\" (a roads.json written by alprsim run)");
    std::vector<RoadEdge> edges;
    const auto& list = doc.at("edges");
    for (size_t i = 0; i < list.size(); ++i) {
        try {
            const auto& j = list[i];
            RoadEdge e;
            e.id = j.at("id").get<std::string>();
            e.name = j.at("name").get<std::string>();
            e.length = j.at("length").get<double>();
            e.maxSpeed = j.at("max_speed").get<double>();
            e.lanes = j.at("lanes").get<int>();
            e.town = j.at("town").get<std::string>();
            e.successors = j.at("successors").get<std::vector<size_t>>();
            e.roadClass = j.value("road_class", "");
            e.fromJunction = j.value("from", "");
            e.toJunction = j.value("to", "");
            e.startsAtDeadEnd = j.value("starts_at_dead_end", false);
            e.endsAtDeadEnd = j.value("ends_at_dead_end", false);
            for (const auto& p : j.at("shape")) e.shapeWgs84.push_back({p.at(1).get<double>(), p.at(0).get<double>()});
            for (const auto& p : j.at("shape_xy")) e.shape.push_back({p.at(0).get<double>(), p.at(1).get<double>()});
            for (size_t s : e.successors)
                if (s >= list.size()) throw std::runtime_error("successor index out of range");
            edges.push_back(std::move(e));
        } catch (const std::exception& ex) {
            throw InputError(file, "/edges/" + std::to_string(i), std::string("a road edge (") + ex.what() + ")");
        }
    }
    return RoadNetwork(std::move(edges));
}

RoadNetwork loadRoadNetwork(const std::filesystem::path& file) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(readTextFile(file));
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(file.string(), "", std::string("valid JSON (") + e.what() + ")");
    }
    return roadNetworkFromJson(doc, file.string());
}

}  // namespace alprsim
