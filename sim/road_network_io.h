#pragma once
// roads.json: the road network of a run as a file, so analysis and reports can work from a
// run directory without loading SUMO again. Shapes are WGS84 [lon, lat] as in GeoJSON, and
// projected [x, y] metres; successors are indices into the edge list.
#include <filesystem>
#include <nlohmann/json_fwd.hpp>

#include "sim/road_network.h"

namespace alprsim {

nlohmann::json roadNetworkToJson(const RoadNetwork& network);
// Throws InputError naming `file` if the document is not a roads.json.
RoadNetwork roadNetworkFromJson(const nlohmann::json& doc, const std::string& file);
RoadNetwork loadRoadNetwork(const std::filesystem::path& file);

}  // namespace alprsim
