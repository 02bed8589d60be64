#pragma once
// A scenario: one town's roads, traffic, cameras and the rules for their reads, as a JSON file.
// loadScenario() validates everything it can before any simulation starts; what can only be
// checked against the network (edge ids, camera counts) is checked when the network is loaded,
// with the same file-and-path messages.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "sensors/camera_config.h"
#include "recognition/recognizer.h"
#include "scenarios/region_agencies.h"
#include "sim/demand.h"
#include "sim/region_osm.h"
#include "store/store_network.h"

#include <optional>

namespace alprsim {

struct Scenario {
    std::filesystem::path file;
    nlohmann::json source;  // the file as written, echoed into results
    std::string name;
    std::string description;
    uint64_t seed = 1;

    // network
    std::filesystem::path osmFile;    // resolved, exists; empty for a region
    std::vector<TownExtract> region;  // towns and their extracts, joined into one network
    std::filesystem::path townsFile;  // resolved, exists

    // time: simulated seconds since midnight of day 0
    double beginSeconds = 0;
    double endSeconds = 0;

    // simulation
    bool mesoscopic = false;
    double stepLength = 1.0;
    // SUMO's gridlock remedies (microscopic model), SUMO's defaults unless the scenario says:
    double timeToTeleport = 300.0;            // a vehicle stuck this long jumps ahead
    double timeToImpatience = 300.0;          // waiting this long makes a driver force into gaps
    double ignoreJunctionBlocker = -1.0;      // after this long, ignore a vehicle blocking the junction (-1: never)
    double reroutePeriod = 0.0;               // seconds between a trip's looks for a faster route (0: never)
    double rerouteShare = 1.0;                // of the trips, those whose drivers look (navigation app users)
    std::string mesoJunctionControl = "off";  // off, limited or on (sim/simulation.h, MesoJunctionControl)

    DemandConfig demand;

    CameraConfig cameras;

    // agencies: each town's agency, its program, cameras and sharing (decides the cameras'
    // placement and the stores' sharing; scenarios/region_agencies.h)
    std::optional<RegionAgencies> agencies;

    // stores: per-agency read stores, sharing, retention, hot list (written to RUN_DIR/stores)
    std::optional<StoreSettings> stores;

    // recognition: how captures become plate strings (perfect, calibrated, full). Calibrated
    // unless a scenario says otherwise: reads fail as a real reader's do; perfect is only an
    // upper bound, named as such wherever a run used it.
    recognition::RecognitionMode recognitionMode = recognition::RecognitionMode::Calibrated;
};

// Limits that keep a typo from asking for a machine we do not have.
struct ScenarioLimits {
    static constexpr double kMaxHours = 24.0 * 366;
};

// Reads and validates a scenario file. Throws InputError (file, JSON path, expectation).
Scenario loadScenario(const std::filesystem::path& file);
// The same from JSON text; `file` names it in messages and anchors relative data paths.
Scenario parseScenario(const std::string& text, const std::filesystem::path& file);

// The SUMO network the scenario runs on: its extract's, or its region's (sim/region_osm.h),
// converted now or taken from the cache; scratchDir as for cachedNetwork.
std::filesystem::path scenarioNetwork(const Scenario& s, const std::filesystem::path& scratchDir);

}  // namespace alprsim
