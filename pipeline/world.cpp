#include "pipeline/world.h"

#include <spdlog/spdlog.h>

#include "run_folder/run_folder.h"
#include "sim/net_file.h"
#include "sim/net_import.h"

namespace alprsim {

namespace fs = std::filesystem;

namespace {

SimulationConfig simulationConfig(const Scenario& s, const fs::path& net, const fs::path& outDir, double beginSeconds) {
    SimulationConfig c;
    c.network = net;
    c.logFile = RunFolder(outDir).sumoLog();
    c.beginSeconds = beginSeconds;
    c.stepLength = s.stepLength;
    c.timeToTeleport = s.timeToTeleport;
    c.timeToImpatience = s.timeToImpatience;
    c.ignoreJunctionBlocker = s.ignoreJunctionBlocker;
    c.reroutePeriod = s.reroutePeriod;
    c.rerouteShare = s.rerouteShare;
    c.mesoJunctionControl = s.mesoJunctionControl == "on"        ? MesoJunctionControl::On
                            : s.mesoJunctionControl == "limited" ? MesoJunctionControl::Limited
                                                                 : MesoJunctionControl::Off;
    c.seed = s.seed;
    c.model = s.mesoscopic ? TrafficModel::Mesoscopic : TrafficModel::Microscopic;
    return c;
}

fs::path loadNetwork(const Scenario& s, const fs::path& outDir) {
    spdlog::info("network: converting or reusing {}", s.region.empty() ? s.osmFile.string() : "the region's extracts");
    return scenarioNetwork(s, outDir);
}

}  // namespace

ScenarioWorld::ScenarioWorld(const Scenario& s, const fs::path& outDir, double beginSeconds, unsigned threads)
    : network(loadNetwork(s, outDir)),
      sim(simulationConfig(s, network, outDir, beginSeconds)),
      towns(TownMap::load(s.townsFile)),
      roads(loadRoads(sim, network, towns)),
      planner(s.demand, roads, towns, s.seed, s.beginSeconds, s.endSeconds) {
    planner.setThreads(threads);
}

void removeUncachedNetwork(const fs::path& dir) {
    std::error_code ec;
    fs::remove(dir / kUncachedNetwork, ec);
}

}  // namespace alprsim
