#include "sim/towns.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/files.h"
#include "sim/region_osm.h"
#include "sim/road_network.h"

namespace alprsim {

namespace {

Ring ringFromJson(const nlohmann::json& coords) {
    Ring ring;
    ring.reserve(coords.size());
    for (const auto& c : coords) ring.push_back({c.at(1).get<double>(), c.at(0).get<double>()});
    return ring;
}

void addPolygon(Town& town, const nlohmann::json& polygon) {
    for (const auto& ring : polygon) town.rings.push_back(ringFromJson(ring));
}

void computeBox(Town& town) {
    town.boxMin = {90, 180};
    town.boxMax = {-90, -180};
    for (const Ring& r : town.rings)
        for (const LatLon& p : r) {
            town.boxMin = {std::min(town.boxMin.lat, p.lat), std::min(town.boxMin.lon, p.lon)};
            town.boxMax = {std::max(town.boxMax.lat, p.lat), std::max(town.boxMax.lon, p.lon)};
        }
}

// "WEST SPRINGFIELD" -> "West Springfield": MassGIS names are upper case.
std::string titleCase(std::string s) {
    bool start = true;
    for (char& c : s) {
        const unsigned char u = static_cast<unsigned char>(c);
        c = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
        start = !std::isalpha(u);
    }
    return s;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// A whole number of people; get<int>() would convert 1e20 with undefined behaviour.
int populationOf(const nlohmann::json& value) {
    constexpr int64_t kMaxPopulation = 100'000'000;
    if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > kMaxPopulation)
        throw std::runtime_error("pop2010 must be a whole number from 0 to " + std::to_string(kMaxPopulation) + ", got " +
                                 value.dump().substr(0, 40));
    return static_cast<int>(value.get<int64_t>());
}

}  // namespace

TownMap TownMap::load(const std::filesystem::path& geojson) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(readTextFile(geojson, kTownsInput));
    } catch (const nlohmann::json::exception& e) {
        throw InputError(geojson.string(), "", std::string("valid GeoJSON: ") + e.what());
    }
    TownMap map;
    if (!doc.is_object() || !doc.contains("features") || !doc.at("features").is_array())
        throw InputError(geojson.string(), "/features", "a GeoJSON FeatureCollection (an object with a \"features\" array)");
    const auto& features = doc.at("features");
    for (size_t i = 0; i < features.size(); ++i) {
        const auto& f = features[i];
        try {
            Town town;
            town.name = titleCase(f.at("properties").at("town").get<std::string>());
            town.population2010 = populationOf(f.at("properties").at("pop2010"));
            const auto& geometry = f.at("geometry");
            const std::string type = geometry.at("type").get<std::string>();
            if (type == "Polygon") {
                addPolygon(town, geometry.at("coordinates"));
            } else if (type == "MultiPolygon") {
                for (const auto& polygon : geometry.at("coordinates")) addPolygon(town, polygon);
            } else {
                throw std::runtime_error("geometry type " + type);
            }
            computeBox(town);
            map.towns_.push_back(std::move(town));
        } catch (const std::exception& e) {
            throw InputError(geojson.string(), "/features/" + std::to_string(i),
                             std::string("a (Multi)Polygon feature with town and pop2010 properties (") + e.what() + ")");
        }
    }
    return map;
}

const Town* TownMap::townAt(LatLon p) const {
    for (const Town& t : towns_) {
        if (p.lat < t.boxMin.lat || p.lat > t.boxMax.lat || p.lon < t.boxMin.lon || p.lon > t.boxMax.lon) continue;
        if (insideRings(t.rings, p)) return &t;
    }
    return nullptr;
}

const Town* TownMap::find(const std::string& name) const {
    const std::string wanted = lower(name);
    for (const Town& t : towns_)
        if (lower(t.name) == wanted) return &t;
    return nullptr;
}

void attributeTowns(RoadNetwork& network, const TownMap& towns) {
    for (size_t i = 0; i < network.edges().size(); ++i) {
        // A stand-in road (sim/region_osm.h) stands for roads no extract holds: no town's.
        const Town* t = isStandInEdge(network.edges()[i].id) ? nullptr : towns.townAt(network.midpoint(i));
        network.mutableEdges()[i].town = t ? t->name : "";
    }
}

}  // namespace alprsim
