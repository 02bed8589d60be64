#include "tests/support/run_files.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "core/csv.h"
#include "tests/support/process.h"

namespace alprsim::test {

std::map<std::string, std::vector<std::string>> tripRoutes(const std::string& runDir) {
    std::istringstream in(readFile(runDir + "/trips.csv"));
    CsvReader csv(in, runDir + "/trips.csv");
    const size_t trip = csv.column("trip"), route = csv.column("route_edges");
    std::map<std::string, std::vector<std::string>> out;
    while (csv.next()) out[csv.row()[trip]] = splitSpaces(csv.row()[route]);
    return out;
}

std::map<std::string, std::set<std::string>> roadSuccessors(const std::string& runDir) {
    const nlohmann::json roads = nlohmann::json::parse(readFile(runDir + "/roads.json"));
    const nlohmann::json& edges = roads.at("edges");
    std::map<std::string, std::set<std::string>> out;
    for (const nlohmann::json& e : edges) {
        std::set<std::string>& next = out[e.at("id").get<std::string>()];
        for (const nlohmann::json& k : e.at("successors")) next.insert(edges.at(k.get<size_t>()).at("id").get<std::string>());
    }
    return out;
}

bool connected(const std::vector<std::string>& route, const std::map<std::string, std::set<std::string>>& successors) {
    for (size_t i = 0; i + 1 < route.size(); ++i) {
        const auto it = successors.find(route[i]);
        if (it == successors.end() || !it->second.count(route[i + 1])) return false;
    }
    return true;
}

size_t checkDrivenRoutes(const std::string& adaptiveDir, const std::string& fixedDir) {
    const auto successors = roadSuccessors(adaptiveDir);
    const auto drove = tripRoutes(adaptiveDir), planned = tripRoutes(fixedDir);
    REQUIRE(drove.size() == planned.size());
    size_t changed = 0;
    for (const auto& [trip, route] : drove) {
        INFO(trip);
        const std::vector<std::string>& plan = planned.at(trip);
        REQUIRE(!route.empty());
        CHECK(route.front() == plan.front());
        CHECK(route.back() == plan.back());
        CHECK(connected(route, successors));
        changed += route != plan;
    }
    return changed;
}

}  // namespace alprsim::test
