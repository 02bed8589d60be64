// sweep_bench: the local backend's parallel speed-up (issue 8): a sweep of 8 small runs with
// --jobs 2 should take at most 1/1.8 of the time it takes with --jobs 1 on a 2-core machine.
// Each run is a separate process (forked from the sweep), so the speed-up is bounded by what the
// machine gives two independent processes; the bench measures that bound beside it. Three
// repetitions, each close together in time (the host drifts from minute to minute), each of:
//   1. the cores: the --jobs 1 sweep pinned to each core alone, then one pinned to each core at
//      once. Virtual cores need not be equal (a vCPU whose host thread shares a core runs
//      slower, and which one changes from minute to minute) nor independent (two runs share
//      memory bandwidth); the work all cores get through together, over the fastest core's
//      alone, is --jobs 2's ceiling.
//   2. the sweep with --jobs 1 and then --jobs 2, unpinned, as a user runs them: the target.
// The medians over the repetitions are the results. Then the sweep's 8 scenarios as plain
// `alprsim run` processes, one and two at a time, with no sweep around them: what the sweep
// itself costs or gains over its bare runs.
// Checks that every sweep produced the same summary.csv.
// Usage: sweep_bench [alprsim binary] [folder=<temp>]   (the folder is removed afterwards)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/bench_clock.h"
#include "core/files.h"
#include "core/median.h"
#include "core/process.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace alprsim;
using namespace alprsim::bench;

namespace {

constexpr double kTargetSpeedup = 1.8;

// Starts `argv` with output to /dev/null, on `core` (pinned by taskset, which then becomes the
// command, in the same process) when it is not negative.
pid_t spawn(std::vector<std::string> argv, int core = -1) {
    ChildOptions quiet;
    quiet.outputFile = "/dev/null";
    if (core >= 0) {
        argv.insert(argv.begin(), {"taskset", "--cpu-list", std::to_string(core)});
        quiet.searchPath = true;
    }
    return startChild(argv, quiet);
}

void requireSuccess(int status, const char* what) {
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "sweep_bench: %s failed (%s %d)\n", what, WIFEXITED(status) ? "exit" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        std::exit(1);
    }
}

// CPU seconds (user + system) used so far by finished child processes and their children.
double childCpuSeconds() {
    rusage r{};
    ::getrusage(RUSAGE_CHILDREN, &r);
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

// Runs every command line, at most `jobs` at a time, and returns when all have finished.
void runAll(const std::vector<std::vector<std::string>>& commands, int jobs) {
    size_t next = 0;
    int running = 0;
    while (next < commands.size() || running > 0) {
        for (; next < commands.size() && running < jobs; ++next, ++running) spawn(commands[next]);
        int status = 0;
        ::wait(&status);
        --running;
        requireSuccess(status, "a baseline `alprsim run`");
    }
}

// Starts every command at once, the i-th pinned to cores[i], and returns each one's wall time.
std::vector<double> pinnedTogether(const std::vector<std::vector<std::string>>& commands, const std::vector<int>& cores) {
    const auto start = Clock::now();
    std::vector<pid_t> pids;
    for (size_t i = 0; i < commands.size(); ++i) pids.push_back(spawn(commands[i], cores[i]));
    std::vector<double> seconds(commands.size());
    for (size_t left = commands.size(); left > 0; --left) {
        int status = 0;
        const pid_t pid = ::wait(&status);
        requireSuccess(status, "a pinned sweep");
        seconds[std::find(pids.begin(), pids.end(), pid) - pids.begin()] = secondsSince(start);
    }
    return seconds;
}

struct CoreSpeeds {
    std::vector<double> alone;     // the --jobs 1 sweep pinned to core i, nothing else running
    std::vector<double> together;  // the same, one pinned to each core, all at once
    // Sweeps a second all cores together complete, over the sweeps a second the fastest core
    // completes alone: what --jobs 2 would give over --jobs 1 on the fastest core if sharing
    // out the runs cost nothing. One --jobs 2 sweep starts once, serially (0.3 s loading
    // libraries), where the two pinned sweeps start in parallel: it stays some 6% below this.
    double ceiling() const {
        double rate = 0;
        for (double t : together) rate += 1 / t;
        return rate * alone[fastest()];
    }
    int fastest() const { return static_cast<int>(std::min_element(alone.begin(), alone.end()) - alone.begin()); }
};

// `sweepInto(dir)` is the command line of a --jobs 1 sweep into a new folder `dir`.
CoreSpeeds measureCores(const fs::path& dir, const std::function<std::vector<std::string>(const fs::path&)>& sweepInto) {
    const int cores = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
    CoreSpeeds speeds;
    std::vector<std::vector<std::string>> all;
    std::vector<int> allCores;
    for (int c = 0; c < cores; ++c) {
        const std::string core = std::to_string(c);
        speeds.alone.push_back(pinnedTogether({sweepInto(dir / ("alone-core" + core))}, {c})[0]);
        all.push_back(sweepInto(dir / ("together-core" + core)));
        allCores.push_back(c);
    }
    speeds.together = pinnedTogether(all, allCores);
    return speeds;
}

// On a machine shared with other work, wall time measures the neighbours too: the CPU the
// runs used is printed beside it, and wall / CPU shows how much of a core they got.
Elapsed timedSweep(const std::string& alprsim, const fs::path& sweep, const fs::path& out, int jobs) {
    const double cpuBefore = childCpuSeconds();
    const auto start = Clock::now();
    int status = 0;
    ::waitpid(spawn({alprsim, "sweep", sweep.string(), "--out", out.string(), "--jobs", std::to_string(jobs)}), &status, 0);
    const double seconds = secondsSince(start);
    requireSuccess(status, jobs == 1 ? "the sweep with --jobs 1" : "the sweep with --jobs 2");
    return {seconds, childCpuSeconds() - cpuBefore};
}

// The sweep's own scenario files, each run by a plain `alprsim run` process as the local
// backend would with `jobs` runs at once (the same --threads), into `out`.
Elapsed timedPlainRuns(const std::string& alprsim, const fs::path& scenarios, const fs::path& out, int jobs) {
    std::vector<std::vector<std::string>> commands;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(scenarios)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    const std::string threads = std::to_string(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN) / jobs));
    for (const fs::path& f : files)
        commands.push_back({alprsim, "run", f.string(), "--out", (out / f.stem()).string(), "--force", "--threads", threads});
    const double cpuBefore = childCpuSeconds();
    const auto start = Clock::now();
    runAll(commands, jobs);
    return {secondsSince(start), childCpuSeconds() - cpuBefore};
}

// One repetition: the cores' ceiling, then --jobs 1 and --jobs 2 as a user runs them, close
// together in time, since the host's speed drifts from one minute to the next.
struct Repetition {
    CoreSpeeds cores;
    Elapsed one, two;
    double speedup() const { return one.wall / two.wall; }
    double overFastest() const { return cores.alone[cores.fastest()] / two.wall; }
};

}  // namespace

int main(int argc, char** argv) {
    const std::string alprsim = argc > 1 ? argv[1] : ALPRSIM_BINARY;
    const fs::path dir =
        argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / ("alprsim-sweep-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);

    // quick.json (Harvard Square/Allston) with 150 cars over 20 minutes: about half a second a run.
    const json base = {{"extends", std::string(ALPRSIM_SOURCE_DIR) + "/scenarios/quick.json"},
                       {"time", {{"duration_hours", 0.33}}},
                       {"demand", {{"vehicles", 150}, {"depart_window_hours", 0.2}}}};
    std::ofstream(dir / "base.json") << base.dump(2);
    const json sweep = {{"name", "bench"},
                        {"base", "base.json"},
                        {"grid", {{{"path", "/cameras/count"}, {"values", {2, 4, 8, 16}}}}},
                        {"seeds", {1, 2}}};
    const fs::path sweepFile = dir / "sweep.json";
    std::ofstream(sweepFile) << sweep.dump(2);

    // Warm the network cache first, so no timed run pays for netconvert.
    timedSweep(alprsim, sweepFile, dir / "warm", 2);
    const std::string summary = readTextFile(dir / "warm" / "summary.csv");
    std::vector<fs::path> sweepsWritten;

    std::printf("sweep of 8 runs (quick.json, 150 cars, 20 min; cameras 2/4/8/16 x seeds 1,2), three repetitions:\n");
    std::vector<Repetition> reps;
    for (int r = 0; r < 3; ++r) {
        const fs::path repDir = dir / ("rep" + std::to_string(r));
        Repetition rep;
        rep.cores = measureCores(repDir, [&](const fs::path& out) {
            sweepsWritten.push_back(out);
            return std::vector<std::string>{alprsim, "sweep", sweepFile.string(), "--out", out.string(), "--jobs", "1"};
        });
        rep.one = timedSweep(alprsim, sweepFile, repDir / "jobs1", 1);
        rep.two = timedSweep(alprsim, sweepFile, repDir / "jobs2", 2);
        for (const char* jobs : {"jobs1", "jobs2"}) sweepsWritten.push_back(repDir / jobs);
        std::printf("  --jobs 1 pinned to each core:");
        for (size_t c = 0; c < rep.cores.alone.size(); ++c) std::printf(" %.2f s", rep.cores.alone[c]);
        std::printf("; one on each core at once:");
        for (size_t c = 0; c < rep.cores.together.size(); ++c) std::printf(" %.2f s", rep.cores.together[c]);
        std::printf("; ceiling %.2fx\n", rep.cores.ceiling());
        std::printf(
            "    unpinned --jobs 1: %.2f s wall (%.2f s CPU), --jobs 2: %.2f s wall (%.2f s CPU, %.2f cores): %.2fx; over the "
            "fastest core: %.2fx\n",
            rep.one.wall, rep.one.cpu, rep.two.wall, rep.two.cpu, rep.two.cpu / rep.two.wall, rep.speedup(), rep.overFastest());
        reps.push_back(rep);
    }
    std::vector<double> speedups, overFastest, ceilings, efficiencies;
    for (const Repetition& rep : reps) {
        speedups.push_back(rep.speedup());
        overFastest.push_back(rep.overFastest());
        ceilings.push_back(rep.cores.ceiling());
        efficiencies.push_back(rep.overFastest() / rep.cores.ceiling());
    }
    const double speedup = median(speedups);
    std::printf("  speed-up (median): %.2fx (target >= %.1fx: %s)\n", speedup, kTargetSpeedup,
                speedup >= kTargetSpeedup ? "met" : "NOT met");
    // Unpinned, --jobs 1 runs where the kernel puts it; on unequal cores that ratio says as much
    // about the placement as about the sweep. Over the fastest core it cannot beat the ceiling.
    std::printf("  over --jobs 1 on the fastest core (median): %.2fx, against the cores' ceiling of %.2fx: %.0f%% of it\n",
                median(overFastest), median(ceilings), 100 * median(efficiencies));

    const Elapsed plainOne = timedPlainRuns(alprsim, dir / "warm" / "scenarios", dir / "plain1", 1);
    const Elapsed plainTwo = timedPlainRuns(alprsim, dir / "warm" / "scenarios", dir / "plain2", 2);
    std::printf("baseline, the same 8 scenarios as plain `alprsim run` processes, no sweep:\n");
    std::printf("  one at a time: %.2f s wall, %.2f s CPU; two at a time: %.2f s wall, %.2f s CPU: %.2fx\n", plainOne.wall,
                plainOne.cpu, plainTwo.wall, plainTwo.cpu, plainOne.wall / plainTwo.wall);

    bool same = true;
    for (const fs::path& written : sweepsWritten) same = same && readTextFile(written / "summary.csv") == summary;
    std::printf("  summary.csv identical in all %zu sweeps: %s\n", sweepsWritten.size() + 1, same ? "yes" : "NO");
    fs::remove_all(dir);
    return same ? 0 : 1;
}
