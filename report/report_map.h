#pragma once
// The map's data for one run, from its files: road centre lines (roads.json), cameras
// (cameras.geojson) and one example trip (example_trips.geojson when the analysis wrote one,
// with the true route beside the inferred one; else the most-read true trip in trips.csv).
// Coordinates are WGS84 [lon, lat], rounded to 1e-5 degrees (about 1 m), which keeps the page
// small and the output byte-stable.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "report/report_inputs.h"
#include "report/run_facts.h"

namespace alprsim::report {

struct MapData {
    nlohmann::json data;             // {roads, camera_sets, trip}; null if the run has no roads.json
    std::vector<std::string> notes;  // what is drawn and what could not be
};

// `others` are runs on the same network whose cameras are drawn too, each in its own colour.
MapData buildMapData(const ReportRun& run, const RunFacts& facts,
                     const std::vector<std::pair<const ReportRun*, const RunFacts*>>& others);

}  // namespace alprsim::report
