#pragma once
// A finished run's files as tests read them back.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace alprsim::test {

// trip id -> its route_edges, from RUN_DIR/trips.csv.
std::map<std::string, std::vector<std::string>> tripRoutes(const std::string& runDir);

// edge id -> the ids of the edges a vehicle may drive onto from it, from RUN_DIR/roads.json.
std::map<std::string, std::set<std::string>> roadSuccessors(const std::string& runDir);

// Whether each edge of `route` leads onto the next one.
bool connected(const std::vector<std::string>& route, const std::map<std::string, std::set<std::string>>& successors);

// Checks (Catch CHECKs) that every trip of the run in `adaptiveDir` drove a connected route
// between the ends of its planned one (the run in `fixedDir`: the same scenario without
// rerouting); returns how many drove another route than planned.
size_t checkDrivenRoutes(const std::string& adaptiveDir, const std::string& fixedDir);

}  // namespace alprsim::test
