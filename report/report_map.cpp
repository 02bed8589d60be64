#include "report/report_map.h"

#include "core/csv.h"

#include <cmath>
#include <map>
#include <sstream>
#include <unordered_map>

#include "core/error.h"
#include "core/files.h"
#include "run_folder/run_folder.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

double rounded(double degrees) { return std::round(degrees * 1e5) / 1e5; }

json parseJsonFile(const fs::path& file, const std::string& expected) {
    json doc = json::parse(readTextFile(file), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw InputError(file.string(), "", expected);
    return doc;
}

// [[lon, lat], ...] from a JSON array of points; throws naming the file and pointer.
json lineFrom(const json& points, const std::string& file, const std::string& where) {
    if (!points.is_array()) throw InputError(file, where, "an array of [lon, lat] points");
    json line = json::array();
    for (size_t i = 0; i < points.size(); ++i) {
        const json& p = points[i];
        if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
            throw InputError(file, where + "/" + std::to_string(i), "a [lon, lat] pair of numbers");
        line.push_back({rounded(p[0].get<double>()), rounded(p[1].get<double>())});
    }
    return line;
}

struct Roads {
    json lines = json::array();                     // one line per edge, in file order
    std::unordered_map<std::string, size_t> index;  // edge id -> line
};

Roads loadRoads(const fs::path& file) {
    const json doc = parseJsonFile(file, "roads.json as written by alprsim run (an object with edges)");
    if (!doc.contains("edges") || !doc["edges"].is_array()) throw InputError(file.string(), "/edges", "an array of road edges");
    Roads roads;
    const json& edges = doc["edges"];
    for (size_t i = 0; i < edges.size(); ++i) {
        const std::string where = "/edges/" + std::to_string(i);
        const json& e = edges[i];
        if (!e.is_object() || !e.contains("id") || !e["id"].is_string() || !e.contains("shape"))
            throw InputError(file.string(), where, "an edge with a string id and a shape");
        roads.index[e["id"].get<std::string>()] = roads.lines.size();
        roads.lines.push_back(lineFrom(e["shape"], file.string(), where + "/shape"));
    }
    return roads;
}

json loadCameras(const fs::path& file) {
    json cameras = json::array();
    if (!fs::exists(file)) return cameras;
    const json doc = parseJsonFile(file, "a GeoJSON FeatureCollection of camera points");
    if (!doc.contains("features") || !doc["features"].is_array())
        throw InputError(file.string(), "/features", "an array of features");
    for (size_t i = 0; i < doc["features"].size(); ++i) {
        const json& f = doc["features"][i];
        const std::string where = "/features/" + std::to_string(i);
        const json::json_pointer coords("/geometry/coordinates");
        if (!f.contains(coords)) throw InputError(file.string(), where + "/geometry/coordinates", "a [lon, lat] point");
        const json point = lineFrom(json::array({f.at(coords)}), file.string(), where + "/geometry/coordinates");
        const json props = f.value("properties", json::object());
        cameras.push_back({{"id", props.value("id", "")},
                           {"agency", props.value("agency", "")},
                           {"town", props.value("town", "")},
                           {"edge", props.value("edge", "")},
                           {"lon", point[0][0]},
                           {"lat", point[0][1]}});
        // A patrol car's point is where its shift started; it reads wherever it drives.
        if (props.value("kind", "") == "patrol") cameras.back()["kind"] = "patrol";
    }
    return cameras;
}

// The example trip the analysis wrote (example_trips.geojson: per trip a "true_route" and an
// "inferred_route" LineString, and "read" points): of the trips with both routes, the one whose
// inferred route covers most of the true one (the first on ties), with its reads.
json exampleFromAnalysis(const fs::path& file) {
    if (!fs::exists(file)) return nullptr;
    const json doc = parseJsonFile(file, "a GeoJSON FeatureCollection of example trips");
    if (!doc.contains("features") || !doc["features"].is_array())
        throw InputError(file.string(), "/features", "an array of features");
    std::map<std::string, json> trips;  // trip id -> {true_route, inferred_route, reads, coverage}
    std::vector<std::string> order;
    for (size_t i = 0; i < doc["features"].size(); ++i) {
        const json& f = doc["features"][i];
        const json props = f.value("properties", json::object());
        const json geometry = f.value("geometry", json::object());
        const std::string trip = props.contains("trip") && props["trip"].is_string() ? props["trip"].get<std::string>() : "";
        const std::string kind = props.contains("kind") && props["kind"].is_string() ? props["kind"].get<std::string>() : "";
        const std::string where = "/features/" + std::to_string(i) + "/geometry/coordinates";
        if (trip.empty() || (kind != "true_route" && kind != "inferred_route" && kind != "read")) continue;
        if (!trips.count(trip)) {
            trips[trip] = {
                {"id", trip}, {"true_route", nullptr}, {"inferred_route", nullptr}, {"reads", json::array()}, {"coverage", -1.0}};
            order.push_back(trip);
        }
        json& t = trips[trip];
        if (kind == "read" && geometry.value("type", "") == "Point") {
            const json point = lineFrom(json::array({geometry.value("coordinates", json())}), file.string(), where)[0];
            t["reads"].push_back({{"lon", point[0]}, {"lat", point[1]}, {"camera", props.value("camera", "")}});
        } else if (kind != "read" && geometry.value("type", "") == "LineString") {
            t[kind == "true_route" ? "true_route" : "inferred_route"] =
                lineFrom(geometry.value("coordinates", json()), file.string(), where);
            if (props.contains("route_coverage") && props["route_coverage"].is_number()) t["coverage"] = props["route_coverage"];
        }
    }
    const json* best = nullptr;
    for (const std::string& id : order) {
        const json& t = trips[id];
        if (t["true_route"].is_null() || t["inferred_route"].is_null()) continue;
        if (!best || t["coverage"].get<double>() > (*best)["coverage"].get<double>()) best = &t;
    }
    if (!best) return nullptr;
    json chosen = *best;
    chosen["source"] = file.filename().string();
    if (chosen["coverage"].get<double>() < 0) chosen["coverage"] = nullptr;
    return chosen;
}

// The true trip read most often (the first in the file on ties), drawn along its route edges.
json exampleFromTrips(const fs::path& file, const Roads& roads) {
    if (!fs::exists(file)) return nullptr;
    std::istringstream in(readTextFile(file));
    if (in.str().empty()) return nullptr;
    CsvReader csv(in, file.string());
    std::map<std::string, size_t> column;
    for (const char* needed : {"trip", "route_edges", "reads", "depart"}) column[needed] = csv.column(needed);
    std::vector<std::string> best;
    long bestReads = 0;
    while (csv.next()) {
        const auto reads = csv.number(column["reads"]), depart = csv.number(column["depart"]);
        if (!reads || !depart)
            throw InputError(file.string(), "row " + std::to_string(csv.rowNumber()), "numbers in the reads and depart columns");
        if (*reads > bestReads && *depart >= 0) {
            bestReads = static_cast<long>(*reads);
            best = csv.row();
        }
    }
    if (best.empty()) return nullptr;
    json route = json::array();
    for (const std::string& edge : splitSpaces(best[column["route_edges"]])) {
        const auto it = roads.index.find(edge);
        if (it != roads.index.end()) route.push_back(roads.lines[it->second]);
    }
    return {{"id", best[column["trip"]]},
            {"reads", bestReads},
            {"true_route_edges", route},
            {"inferred_route", nullptr},
            {"source", RunFolder::kTrips}};
}

}  // namespace

MapData buildMapData(const ReportRun& run, const RunFacts& facts,
                     const std::vector<std::pair<const ReportRun*, const RunFacts*>>& others) {
    MapData map;
    const fs::path roadsFile = RunFolder(run.dir).roads();
    if (!fs::exists(roadsFile)) {
        map.notes.push_back("No map: run " + run.id + " has no roads.json (runs written before roads.json existed).");
        return map;
    }
    const Roads roads = loadRoads(roadsFile);
    json cameraSets = json::array();
    cameraSets.push_back({{"run", facts.label}, {"cameras", loadCameras(RunFolder(run.dir).cameras())}});
    for (const auto& [otherRun, otherFacts] : others)
        cameraSets.push_back({{"run", otherFacts->label}, {"cameras", loadCameras(RunFolder(otherRun->dir).cameras())}});

    json trip = exampleFromAnalysis(RunFolder(run.dir).exampleTrips());
    if (trip.is_null()) trip = exampleFromTrips(RunFolder(run.dir).trips(), roads);
    map.data = {{"run", facts.label}, {"roads", roads.lines}, {"camera_sets", cameraSets}, {"trip", trip}};

    map.notes.push_back("The map shows the roads of " + facts.label +
                        " (drawn from the simulation's own network; no map tiles, so it works offline).");
    if (trip.is_null())
        map.notes.push_back("No example trip: this run has no example_trips.geojson and no trip in trips.csv was read.");
    else if (trip["inferred_route"].is_null())
        map.notes.push_back(
            "The example trip is drawn as it really went (ground truth). This run holds no inferred route "
            "(the analysis wrote no example_trips.geojson), so what an agency would reconstruct is not drawn.");
    else
        map.notes.push_back(
            "The example trip is the one among the analysis's examples whose route the reads reconstruct best: the route it "
            "really took, the route inferred from its reads, and the places it was read.");
    return map;
}

}  // namespace alprsim::report
