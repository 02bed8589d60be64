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

}  // namespace alprsim::test
