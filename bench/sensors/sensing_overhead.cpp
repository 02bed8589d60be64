// How much sensing costs: the same SUMO run (same network, demand, seed and number of steps)
// with no sensing (baseline) and with 50 fixed cameras on the busiest edges plus 5 patrol
// cars (sensing), each `--repeats` times, alternated so that machine load hits both alike, in
// one bench run. Two baselines: the patrol cars driving their shifts as ordinary traffic (the
// same routes, so the same traffic as the sensing run, checked by a digest of every arrival;
// no cameras, no subscriptions), and no patrol cars at all. Both ratios are printed. Each run is a child process (libsumo allows one simulation per process) that
// sets up the scenario as `alprsim run` does and then times its stepping loop: SUMO's step,
// the ground-truth log and, in the sensing run, SensorArray::observe. Both runs step to the
// scenario's end (a run without patrol cars would otherwise stop when the last trip arrives).
// Prints the median loop time of each and their ratio (target: at most 1.25, on wall time: how
// long the run takes), the split of the sensing run between SUMO's step and the cameras, and
// the patrol read rates. The sensing run runs on --threads threads (0: one per core, as
// `alprsim run`); when that is more than one, it is also run on one thread, and both ratios
// are printed.
//
//   sensing_overhead [--scenario FILE] [--repeats N] [--fixed N] [--patrol N] [--threads N]
//                    [--sensing-only 1] [--run sensing|baseline|baseline-patrol]
//
// --sensing-only 1 (the same as --run sensing) runs the sensing run once in this process (no
// children, no baseline) and prints its JSON: for profilers (perf record -g ... --sensing-only 1).
// --run baseline / baseline-patrol does the same for either baseline.
//
// The scenario's own "cameras" section is replaced; its network, time and demand are kept
// (default: scenarios/quick.json).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_clock.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/median.h"
#include "core/process.h"
#include "pipeline/simulation_stage.h"
#include "pipeline/world.h"
#include "sensors/sensor_array.h"
#include "sim/trip_log.h"

using namespace alprsim;
using namespace alprsim::bench;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The calling thread's CPU seconds: the split between SUMO's step and observe is the main
// thread's (the cameras' trackers may work on a thread of their own during SUMO's step).
double threadCpuSeconds() { return cpuSeconds(CLOCK_THREAD_CPUTIME_ID); }

// One run in this (child) process: set up as `alprsim run` does (its ScenarioWorld and first
// day), then step to the end. With `patrolDrivesOnly`, the scenario's patrol cars drive their
// shifts (PatrolFleet::drive: the same routes as in the sensing run) and nothing is sensed.
// `threads` is SensorArray's (0: one per core, as `alprsim run` sets it).
json runOnce(const std::string& text, const std::string& file, bool patrolDrivesOnly = false, unsigned threads = 0) {
    const auto wallStart = Clock::now();
    const Scenario s = parseScenario(text, file);
    const fs::path scratch = fs::temp_directory_path() / ("sensing-overhead-" + std::to_string(getpid()));  // SUMO's log
    fs::create_directories(scratch);
    ScenarioWorld world(s, scratch, s.beginSeconds, 0);
    Simulation& sim = world.sim;
    const RoadNetwork& roads = world.roads;
    TripLog log;
    std::vector<TripPlan> plans;
    scheduleDay(world.planner.firstDay(), world.planner, sim, log, &plans);
    const bool sensing = !patrolDrivesOnly && (s.cameras.placement != CameraPlacement::None || s.cameras.patrol.cars() > 0);
    std::optional<SensorArray> sensors;
    std::optional<PatrolFleet> patrol;  // patrolDrivesOnly: deployed as SensorArray::deploy does
    if (patrolDrivesOnly && s.cameras.patrol.cars() > 0) patrol.emplace(s.cameras.patrol, roads, sim, s.cameras.seed);
    if (sensing) {
        sensors.emplace(SensorArray::deploy(s.cameras, plans, roads, sim));
        sensors->setThreads(threads);
        sensors->addTrips(plans);  // as `alprsim run` does: patrol cars read parked cars
    }

    double stepSeconds = 0.0, observeSeconds = 0.0, stepCpu = 0.0, observeCpu = 0.0;
    // The traffic itself (every arrival and its step), hashed: the sensing run and the baseline
    // with patrol cars driving must simulate the same traffic.
    uint64_t traffic = kFnv1aOffset;
    size_t steps = 0, captures = 0;
    // Everything the cameras recorded, hashed: an optimisation must leave it unchanged.
    uint64_t digest = kFnv1aOffset;
    // SENSING_CAPTURE_DUMP=FILE: the captures themselves, one a line, to diff two builds.
    FILE* dump = std::getenv("SENSING_CAPTURE_DUMP") ? std::fopen(std::getenv("SENSING_CAPTURE_DUMP"), "w") : nullptr;
    const auto fold = [&digest, dump](const std::vector<Capture>& cs) {
        for (const Capture& c : cs) {
            const std::string line =
                fmt::format("{}|{}|{:.17g}|{:.17g}|{:.17g}|{:.17g}|{}|{}|{:.17g}|{:.17g}|{:.17g}|{:.17g}|{:.17g}\n", c.camera,
                            c.trip, c.time, c.speed, c.cameraAt.x, c.cameraAt.y, int(c.frontPlate), int(c.parked), c.distanceM,
                            c.photo.plateWidthPx, c.photo.yawDeg, c.photo.motionBlurPx, c.photo.defocusSigma);
            digest = fnv1a64(line, digest);
            if (dump) std::fputs(line.c_str(), dump);
        }
        return cs.size();
    };
    const auto loopStart = Clock::now();
    const double cpuStart = cpuSeconds(), mainCpuStart = threadCpuSeconds();
    while (sim.time() < s.endSeconds - 1e-9) {
        const auto t0 = Clock::now();
        const double c0 = threadCpuSeconds();
        sim.step();
        log.record(sim, roads);
        if (patrol) patrol->drive(sim);  // the patrol cars' driving: part of the traffic
        const auto t1 = Clock::now();
        const double c1 = threadCpuSeconds();
        if (sensors) captures += fold(sensors->observe(sim));
        const auto t2 = Clock::now();
        const double c2 = threadCpuSeconds();
        stepSeconds += std::chrono::duration<double>(t1 - t0).count();
        observeSeconds += std::chrono::duration<double>(t2 - t1).count();
        stepCpu += c1 - c0;
        observeCpu += c2 - c1;
        for (const std::string& id : sim.lastStep().arrived) traffic = fnv1a64(id + "@" + std::to_string(steps) + "\n", traffic);
        ++steps;
    }
    if (sensors) captures += fold(sensors->finish(sim));
    if (dump) std::fclose(dump);
    const double loopSeconds = secondsSince(loopStart);
    const double loopCpu = cpuSeconds() - cpuStart, mainCpu = threadCpuSeconds() - mainCpuStart;
    json out = {{"loop_s", loopSeconds},
                {"loop_cpu_s", loopCpu},
                {"other_threads_cpu_s", loopCpu - mainCpu},
                {"step_s", stepSeconds},
                {"observe_s", observeSeconds},
                {"step_cpu_s", stepCpu},
                {"observe_cpu_s", observeCpu},
                {"steps", steps},
                {"captures", captures},
                {"vehicles", plans.size()},
                {"wall_s", secondsSince(wallStart)},
                {"captures_digest", digest},
                {"traffic_digest", traffic}};
    if (sensors) out["sensing"] = sensors->summary();
    fs::remove_all(scratch);
    return out;
}

// Runs runOnce in a child process and reads its JSON back: the output's last line (SUMO may
// write warnings before it).
json runChild(const std::string& text, const std::string& file, bool patrolDrivesOnly = false, unsigned threads = 0) {
    ChildOptions child;
    child.inProcess = [&](const std::vector<std::string>&) {
        std::printf("\n%s\n", runOnce(text, file, patrolDrivesOnly, threads).dump().c_str());
        return 0;
    };
    const ProcessResult run = runCapturingOutput({"sensing-run"}, child);
    if (run.exitCode != 0 || run.output.size() < 2) {
        std::fprintf(stderr, "a bench run failed (exit %d): %s\n", run.exitCode, run.output.c_str());
        std::exit(1);
    }
    return json::parse(run.output.substr(run.output.rfind('\n', run.output.size() - 2) + 1));
}

}  // namespace

int main(int argc, char** argv) {
    std::string scenario = std::string(ALPRSIM_SOURCE_DIR) + "/scenarios/quick.json";
    int repeats = 3, fixed = 50, patrol = 5;
    unsigned threads = 0;  // the sensing run's, as `alprsim run --threads` (0: one per core)
    std::string only;      // one run in this process: sensing, baseline or baseline-patrol
    CLI::App app("sensing_overhead: SUMO's stepping with and without sensing");
    app.add_option("--scenario", scenario);
    app.add_option("--repeats", repeats)->check(CLI::Range(1, 1000));
    app.add_option("--fixed", fixed);
    app.add_option("--patrol", patrol);
    app.add_option("--threads", threads);
    app.add_option("--run", only)->check(CLI::IsMember({"sensing", "baseline", "baseline-patrol"}));
    app.add_option_function<int>("--sensing-only", [&](int one) { only = one == 1 ? "sensing" : only; });
    CLI11_PARSE(app, argc, argv);
    json s = json::parse(readTextFile(scenario));
    const std::string agency = s["cameras"].value("agency", "Brookline");
    const std::string town = s["cameras"].value("town", agency);
    s["cameras"] = {{"agency", agency}, {"placement", "none"}};
    const std::string baseline = s.dump();
    s["cameras"] = {{"agency", agency}, {"placement", "volume"}, {"count", fixed}};
    if (patrol > 0) s["cameras"]["patrol"] = {{"cars", patrol}, {"shift_hours", 8}, {"town", town}};
    const std::string sensing = s.dump();
    if (!only.empty()) {  // one run in this process, for a profiler
        const json out = only == "sensing"    ? runOnce(sensing, scenario, false, threads)
                         : only == "baseline" ? runOnce(baseline, scenario)
                                              : runOnce(sensing, scenario, true);
        std::printf("%s\n", out.dump(1).c_str());
        return 0;
    }

    runChild(baseline, scenario);  // warm-up: the network cache and the page cache
    // Per run kind: loop wall, loop CPU (every thread's), SUMO step wall and CPU, observe wall
    // and CPU (the main thread's), and the CPU of other threads (the cameras' trackers').
    struct Series {
        std::vector<double> wall, cpu, step, stepCpu, observe, observeCpu, otherCpu;
        void add(const json& r) {
            wall.push_back(r["loop_s"]);
            cpu.push_back(r["loop_cpu_s"]);
            otherCpu.push_back(r["other_threads_cpu_s"]);
            step.push_back(r["step_s"]);
            stepCpu.push_back(r["step_cpu_s"]);
            observe.push_back(r["observe_s"]);
            observeCpu.push_back(r["observe_cpu_s"]);
        }
    };
    // The sensing run as asked (--threads), and on one thread (the trackers on SUMO's thread,
    // as when every core is busy, e.g. in a sweep), unless that is what was asked.
    const bool alsoOneThread = (threads > 0 ? threads : std::thread::hardware_concurrency()) > 1;
    Series base, drive, sense, senseOne;
    json last, lastDrive;
    bool sameTraffic = true, sameCaptures = true;
    for (int r = 0; r < repeats; ++r) {
        const json b = runChild(baseline, scenario);
        const json d = patrol > 0 ? runChild(sensing, scenario, true) : b;
        const json x = runChild(sensing, scenario, false, threads);
        base.add(b);
        drive.add(d);
        sense.add(x);
        if (d["traffic_digest"] != x["traffic_digest"]) sameTraffic = false;
        if (alsoOneThread) {
            const json one = runChild(sensing, scenario, false, 1);
            senseOne.add(one);
            if (one["captures_digest"] != x["captures_digest"]) sameCaptures = false;
            std::printf("repeat %d: sensing on one thread, loop %.3f s wall, %.3f s CPU\n", r + 1, senseOne.wall.back(),
                        senseOne.cpu.back());
        }
        std::printf("repeat %d: baseline loop %.3f s wall, %.3f s CPU (%zu steps, process %.2f s)", r + 1, base.wall.back(),
                    base.cpu.back(), b["steps"].get<size_t>(), b["wall_s"].get<double>());
        if (patrol > 0)
            std::printf("; baseline with patrol cars driving %.3f s wall, %.3f s CPU", drive.wall.back(), drive.cpu.back());
        std::printf(
            "; sensing loop %.3f s wall, %.3f s CPU (SUMO step %.3f s wall %.3f s CPU, observe %.3f s wall "
            "%.3f s CPU, trackers' thread %.3f s CPU, %zu captures, process %.2f s)\n",
            sense.wall.back(), sense.cpu.back(), sense.step.back(), sense.stepCpu.back(), sense.observe.back(),
            sense.observeCpu.back(), sense.otherCpu.back(), x["captures"].get<size_t>(), x["wall_s"].get<double>());
        std::fflush(stdout);
        last = x;
        lastDrive = d;
    }
    std::printf("\nscenario: %s (%zu vehicles, %zu steps, cameras replaced)\n", scenario.c_str(), last["vehicles"].get<size_t>(),
                last["steps"].get<size_t>());
    std::printf("medians over %d runs each (wall / CPU):\n", repeats);
    std::printf("  baseline, no patrol cars:              loop %.3f / %.3f s (SUMO step %.3f / %.3f s)\n", median(base.wall),
                median(base.cpu), median(base.step), median(base.stepCpu));
    if (patrol > 0)
        std::printf("  baseline, %d patrol cars driving:       loop %.3f / %.3f s (SUMO step and driving %.3f / %.3f s)\n",
                    patrol, median(drive.wall), median(drive.cpu), median(drive.step), median(drive.stepCpu));
    std::printf(
        "  sensing, %d fixed + %d patrol cars:     loop %.3f / %.3f s (SUMO step %.3f / %.3f s, observe %.3f / "
        "%.3f s on SUMO's thread; trackers' own thread %.3f s CPU)\n",
        fixed, patrol, median(sense.wall), median(sense.cpu), median(sense.step), median(sense.stepCpu), median(sense.observe),
        median(sense.observeCpu), median(sense.otherCpu));
    if (alsoOneThread)
        std::printf(
            "  sensing on one thread:                 loop %.3f / %.3f s (SUMO step %.3f / %.3f s, observe %.3f / %.3f s)\n",
            median(senseOne.wall), median(senseOne.cpu), median(senseOne.step), median(senseOne.stepCpu),
            median(senseOne.observe), median(senseOne.observeCpu));
    std::printf("captures_digest %s\n", last["captures_digest"].dump().c_str());
    if (alsoOneThread)
        std::printf("captures: %s\n", sameCaptures ? "the same on one thread (captures_digest equal in every repeat)"
                                                   : "DIFFER between one thread and more");
    if (patrol > 0) {
        std::printf("traffic: %s\n", sameTraffic ? "the same in the sensing run and the baseline with patrol cars "
                                                   "driving (every arrival at the same step)"
                                                 : "DIFFERS between the sensing run and the baseline with patrol cars");
        std::printf(
            "overhead ratio, sensing / baseline with the patrol cars driving (no cameras): %.3f wall, %.3f CPU "
            "(target <= 1.25, on wall time)\n",
            median(sense.wall) / median(drive.wall), median(sense.cpu) / median(drive.cpu));
        if (alsoOneThread)
            std::printf("  the same, sensing on one thread:                                       %.3f wall, %.3f CPU\n",
                        median(senseOne.wall) / median(drive.wall), median(senseOne.cpu) / median(drive.cpu));
    }
    std::printf("overhead ratio, sensing / baseline without patrol cars:                   %.3f wall, %.3f CPU%s\n",
                median(sense.wall) / median(base.wall), median(sense.cpu) / median(base.cpu),
                patrol > 0 ? " (counts the patrol cars' own driving as sensing)" : " (target <= 1.25)");
    const json& summary = last["sensing"];
    std::printf("fixed captures %s, failures %s\n", summary["fixed"]["captured"].dump().c_str(),
                summary["fixed"]["failed"].dump().c_str());
    if (summary.contains("patrol")) {
        const json& p = summary["patrol"];
        std::printf(
            "patrol: %s captures in %s patrol-hours = %s per patrol-hour (moving %s: %s per patrol-hour; "
            "parked %s: %s per patrol-hour); failures %s\n",
            p["captured"].dump().c_str(), p["patrol_hours"].dump().c_str(), p["reads_per_patrol_hour"].dump().c_str(),
            p["captured_moving"].dump().c_str(), p["moving_reads_per_patrol_hour"].dump().c_str(),
            p["captured_parked"].dump().c_str(), p["parked_reads_per_patrol_hour"].dump().c_str(), p["failed"].dump().c_str());
        for (const json& car : p["cars"])
            std::printf("  %s: %s in %s h (%s per hour; %s moving, %s parked)\n", car["id"].get<std::string>().c_str(),
                        car["reads"].dump().c_str(), car["hours_on_road"].dump().c_str(), car["reads_per_hour"].dump().c_str(),
                        car["reads_moving"].dump().c_str(), car["reads_parked"].dump().c_str());
        std::printf(
            "record: 786 plates in one hour (one Chelsea cruiser); about 7,000 per shift in Maryland "
            "(~875 per hour over 8 h)\n");
    }
    return 0;
}
