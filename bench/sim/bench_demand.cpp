// bench_demand: how long demand generation (no simulation) takes for a town over many days.
// Loads the town's network once (SUMO, for the network only), synthesizes the population,
// then generates day after day, printing the time per day and the ratio of the whole run to
// one day times the number of days (1.0 = linear). Target (issue 3): 28 days of Brookline
// at full 2010 population in under 30 s. Then ROUTED_DAYS days are planned as a run plans
// them (TripPlanner::planDay: fastest routes on empty roads, remembered per pair, then the
// congestion assignment), each timed, to give the cost of a month with its routes.
//
// THREADS is how many threads plan a routed day (0, the default: one per core); CPU is the
// process's, over all threads.
//
//   build/bench/sim/bench_demand [OSM] [TOWN] [DAYS] [SCALE] [ROUTED_DAYS] [THREADS]
//   build/bench/sim/bench_demand ma/roads/brookline.osm Brookline 28 1.0 3
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_clock.h"
#include "core/files.h"
#include "core/hash.h"
#include "sim/demand.h"
#include "sim/net_file.h"
#include "sim/net_import.h"
#include "sim/population.h"
#include "sim/simulation.h"
#include "sim/towns.h"

using namespace alprsim;
using namespace alprsim::bench;

// A fingerprint of a day's plans (trips, routes, lengths, bit for bit), to check that a change
// of the planning code plans the same.
// Routes are hashed as their edge ids, as they were when plans held ids.
static uint64_t fingerprint(const std::vector<TripPlan>& plans, const RoadNetwork& roads) {
    auto bits = [](double x) {
        char b[sizeof x];
        std::memcpy(b, &x, sizeof x);
        return std::string(b, sizeof b);
    };
    uint64_t h = fnv1a64("plans");
    for (const TripPlan& p : plans) {
        std::string s = p.trip + '|' + p.vehicle + '|' + p.plate + '|' + bits(p.plannedDepart) + bits(p.routeLength) + '|' +
                        std::to_string(p.day) + '|' + p.purpose + '|';
        for (uint32_t e : p.route) s += roads.edges()[e].id + ' ';
        h = fnv1a64(s, h);
    }
    return h;
}

int main(int argc, char** argv) {
    const std::string osm = argc > 1 ? argv[1] : "ma/roads/brookline.osm";
    const std::string town = argc > 2 ? argv[2] : "Brookline";
    const uint32_t days = argc > 3 ? static_cast<uint32_t>(std::stoul(argv[3])) : 28;
    const double scale = argc > 4 ? std::stod(argv[4]) : 1.0;
    const uint32_t routedDays = argc > 5 ? static_cast<uint32_t>(std::stoul(argv[5])) : 3;
    const unsigned threads = argc > 6 ? static_cast<unsigned>(std::stoul(argv[6])) : 0;

    const auto search = dataSearchPath({});
    const fs::path osmFile = findDataFile(osm, search), townsFile = findDataFile("ma/towns.geojson", search);
    if (osmFile.empty() || townsFile.empty()) {
        std::fprintf(stderr, "bench_demand: %s or ma/towns.geojson not found on the data path\n", osm.c_str());
        return 2;
    }
    const fs::path net = cachedNetwork(osmFile);
    const fs::path log = fs::temp_directory_path() / "bench_demand_sumo.log";
    Simulation sim(SimulationConfig{net, log});
    const TownMap towns = TownMap::load(townsFile);
    const RoadNetwork roads = loadRoads(sim, net, towns);

    PopulationConfig config;
    config.towns = {town};
    config.scale = scale;
    auto t0 = Clock::now();
    const Population pop = Population::synthesize(config, roads, towns, 2011, "bench", "/demand");
    const double synth = secondsSince(t0);
    std::printf("population: %zu residents, %zu vehicles, synthesized in %.3f s\n", pop.residents(), pop.vehicles().size(),
                synth);

    t0 = Clock::now();
    size_t trips = pop.tripsForDay(0).size();
    const double oneDay = secondsSince(t0);
    t0 = Clock::now();
    for (uint32_t d = 1; d < days; ++d) trips += pop.tripsForDay(d).size();
    const double rest = secondsSince(t0);
    const double total = synth + oneDay + rest;
    std::printf("day 0: %.3f s; %u days: %zu trips in %.2f s (synthesis included)\n", oneDay, days, trips, total);
    std::printf("linearity: all days / (days x day 0) = %.2f\n", (oneDay + rest) / (days * oneDay));
    std::printf("target 30 s for 28 days: %.2fx of the budget\n", total / 30.0 * 28.0 / days);

    if (routedDays == 0) return 0;
    DemandConfig demand;
    demand.model = DemandConfig::Model::Population;
    demand.population = config;
    TripPlanner planner(demand, roads, towns, 2011, 0.0, routedDays * 86400.0);
    planner.setThreads(threads);
    double routed = 0.0, routedWall = 0.0;
    for (uint32_t d = 0; d < routedDays; ++d) {
        const Stopwatch watch;
        const std::vector<TripPlan> plans = planner.planDay(d, sim.routes());
        const Elapsed took = watch.elapsed();
        routed += took.cpu;
        routedWall += took.wall;
        std::printf("day %u with routes: %zu trips in %.2f s wall, %.2f s CPU; plans %016llx\n", d, plans.size(), took.wall,
                    took.cpu, static_cast<unsigned long long>(fingerprint(plans, roads)));
    }
    std::printf(
        "with routes: %.2f s of CPU, %.2f s wall a day (%zu route changes by congestion); 28 days about %.0f s CPU, %.0f s "
        "wall\n",
        routed / routedDays, routedWall / routedDays, planner.reroutedTrips(), routed / routedDays * 28.0,
        routedWall / routedDays * 28.0);
    if (routedDays == days)  // population, trips and every day's routes: demand generation as a run does it
        std::printf(
            "demand with routes, %u days: %.2f s wall (population and trips %.2f s, routes %.2f s); target 30 s "
            "for 28 days: %.2fx of the budget\n",
            days, total + routedWall, total, routedWall, (total + routedWall) / 30.0 * 28.0 / days);
    return 0;
}
