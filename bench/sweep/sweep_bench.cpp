// sweep_bench: the local backend's parallel speed-up (issue 8): a sweep of 8 small runs with
// --jobs 2 should take at most 1/1.8 of the time it takes with --jobs 1 on a 2-core machine.
// Each run is a separate process (forked from the sweep), so the speed-up is bounded by what the
// machine gives two independent processes; the bench measures that bound in the same run:
//   1. the cores: one run pinned to each core alone, then two at once, one pinned to each core.
//      Virtual cores need not be equal (a vCPU whose host thread shares a core runs slower) nor
//      independent (two runs share memory bandwidth); the two-at-once throughput over the
//      fastest core's alone is the most two jobs can give over one, whatever the sweep does.
//   2. the sweeps, --jobs 1 and --jobs 2 alternated three times (the median ratio counts: on a
//      shared host single timings move by 10-20%), both unpinned, as a user runs them.
//   3. the sweep's 8 scenarios as plain `alprsim run` processes, one and two at a time, with no
//      sweep around them: what the sweep itself costs or gains over its bare runs.
// Checks that every sweep produced the same summary.csv.
// Usage: sweep_bench [alprsim binary] [folder=<temp>]   (the folder is removed afterwards)
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kTargetSpeedup = 1.8;

// Starts `argv` with output to /dev/null, on `core` when it is not negative.
pid_t spawn(const std::vector<std::string>& argv, int core = -1) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (core >= 0) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(core, &set);
            if (::sched_setaffinity(0, sizeof set, &set) != 0) _exit(126);
        }
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execv(args[0], args.data());
        _exit(127);
    }
    return pid;
}

void requireSuccess(int status, const char* what) {
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "sweep_bench: %s failed (%s %d)\n", what, WIFEXITED(status) ? "exit" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        std::exit(1);
    }
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// CPU seconds (user + system) used so far by finished child processes and their children.
double childCpuSeconds() {
    rusage r{};
    ::getrusage(RUSAGE_CHILDREN, &r);
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + 1e-6 * static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
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
    const auto start = std::chrono::steady_clock::now();
    std::vector<pid_t> pids;
    for (size_t i = 0; i < commands.size(); ++i) pids.push_back(spawn(commands[i], cores[i]));
    std::vector<double> seconds(commands.size());
    for (size_t left = commands.size(); left > 0; --left) {
        int status = 0;
        const pid_t pid = ::wait(&status);
        requireSuccess(status, "a pinned `alprsim run`");
        seconds[std::find(pids.begin(), pids.end(), pid) - pids.begin()] = secondsSince(start);
    }
    return seconds;
}

struct CoreSpeeds {
    std::vector<double> alone;     // one run pinned to core i, nothing else running (best of 2)
    std::vector<double> together;  // one run pinned to each core, all at once (best of 2)
    // Runs a second all cores together complete, over the runs a second the fastest core
    // completes alone: the most any number of jobs can give over one job.
    double ceiling() const {
        double rate = 0;
        for (double t : together) rate += 1 / t;
        return rate * alone[fastest()];
    }
    int fastest() const { return static_cast<int>(std::min_element(alone.begin(), alone.end()) - alone.begin()); }
};

// `runOn(c)` is a run whose output goes to a folder of core c's own.
CoreSpeeds measureCores(const std::function<std::vector<std::string>(int)>& runOn) {
    const int cores = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
    CoreSpeeds speeds{std::vector<double>(cores, 1e300), std::vector<double>(cores, 1e300)};
    std::vector<std::vector<std::string>> all;
    std::vector<int> allCores;
    for (int c = 0; c < cores; ++c) {
        all.push_back(runOn(c));
        allCores.push_back(c);
    }
    for (int repeat = 0; repeat < 2; ++repeat) {
        for (int c = 0; c < cores; ++c) speeds.alone[c] = std::min(speeds.alone[c], pinnedTogether({all[c]}, {c})[0]);
        const std::vector<double> together = pinnedTogether(all, allCores);
        for (int c = 0; c < cores; ++c) speeds.together[c] = std::min(speeds.together[c], together[c]);
    }
    return speeds;
}

struct Timing {
    double wall = 0;
    double cpu = 0;
};

// On a machine shared with other work, wall time measures the neighbours too: the CPU the
// runs used is printed beside it, and wall / CPU shows how much of a core they got.
Timing timedSweep(const std::string& alprsim, const fs::path& sweep, const fs::path& out, int jobs, int core = -1) {
    const double cpuBefore = childCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    int status = 0;
    ::waitpid(spawn({alprsim, "sweep", sweep.string(), "--out", out.string(), "--jobs", std::to_string(jobs)}, core), &status, 0);
    const double seconds = secondsSince(start);
    requireSuccess(status, jobs == 1 ? "the sweep with --jobs 1" : "the sweep with --jobs 2");
    return {seconds, childCpuSeconds() - cpuBefore};
}

// The sweep's own scenario files, each run by a plain `alprsim run` process as the local
// backend would with `jobs` runs at once (the same --threads), into `out`.
Timing timedPlainRuns(const std::string& alprsim, const fs::path& scenarios, const fs::path& out, int jobs) {
    std::vector<std::vector<std::string>> commands;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(scenarios)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    const std::string threads = std::to_string(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN) / jobs));
    for (const fs::path& f : files)
        commands.push_back({alprsim, "run", f.string(), "--out", (out / f.stem()).string(), "--force", "--threads", threads});
    const double cpuBefore = childCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    runAll(commands, jobs);
    return {secondsSince(start), childCpuSeconds() - cpuBefore};
}

// The sweep's first run, as sweep.json lists them.
std::string firstRunId(const fs::path& sweepDir) {
    return json::parse(readFile(sweepDir / "sweep.json"))["runs"][0]["id"].get<std::string>();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string alprsim = argc > 1 ? argv[1] : ALPRSIM_BINARY;
    const fs::path dir = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / ("alprsim-sweep-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);

    // quick.json (Harvard Square/Allston) with 150 cars over 20 minutes: about a second a run.
    const json base = {{"extends", std::string(ALPRSIM_SOURCE_DIR) + "/scenarios/quick.json"},
                       {"time", {{"duration_hours", 0.33}}},
                       {"demand", {{"vehicles", 150}, {"depart_window_hours", 0.2}}}};
    std::ofstream(dir / "base.json") << base.dump(2);
    const json sweep = {{"name", "bench"}, {"base", "base.json"},
                        {"grid", {{{"path", "/cameras/count"}, {"values", {2, 4, 8, 16}}}}}, {"seeds", {1, 2}}};
    std::ofstream(dir / "sweep.json") << sweep.dump(2);

    // Warm the network cache first, so no timed run pays for netconvert.
    timedSweep(alprsim, dir / "sweep.json", dir / "warm", 2);

    const fs::path firstScenario = dir / "warm" / "scenarios" / (firstRunId(dir / "warm") + ".json");
    const CoreSpeeds cores = measureCores([&](int core) {
        return std::vector<std::string>{alprsim, "run", firstScenario.string(), "--out", (dir / ("core" + std::to_string(core))).string(), "--force", "--threads", "1"};
    });

    std::vector<Timing> ones, twos;
    std::vector<double> ratios;
    for (int repeat = 0; repeat < 3; ++repeat) {
        const std::string suffix = std::to_string(repeat);
        ones.push_back(timedSweep(alprsim, dir / "sweep.json", dir / ("jobs1-" + suffix), 1));
        twos.push_back(timedSweep(alprsim, dir / "sweep.json", dir / ("jobs2-" + suffix), 2));
        ratios.push_back(ones.back().wall / twos.back().wall);
    }
    const Timing onFastest = timedSweep(alprsim, dir / "sweep.json", dir / "jobs1-fastest", 1, cores.fastest());
    const Timing plainOne = timedPlainRuns(alprsim, dir / "warm" / "scenarios", dir / "plain1", 1);
    const Timing plainTwo = timedPlainRuns(alprsim, dir / "warm" / "scenarios", dir / "plain2", 2);

    bool same = true;
    const std::string summary = readFile(dir / "warm" / "summary.csv");
    for (int repeat = 0; repeat < 3; ++repeat)
        for (const char* jobs : {"jobs1-", "jobs2-"}) same = same && readFile(dir / (jobs + std::to_string(repeat)) / "summary.csv") == summary;
    same = same && readFile(dir / "jobs1-fastest" / "summary.csv") == summary;

    std::printf("cores, one run of the sweep (`alprsim run`, --threads 1) pinned to each, best of 2:\n");
    for (size_t c = 0; c < cores.alone.size(); ++c)
        std::printf("  core %zu: %.2f s alone, %.2f s with every core running one\n", c, cores.alone[c], cores.together[c]);
    const double ceiling = cores.ceiling();
    std::printf("  the most two jobs can give over one on the fastest core: %.2fx\n", ceiling);
    std::printf("sweep of 8 runs (quick.json, 150 cars, 20 min; cameras 2/4/8/16 x seeds 1,2), unpinned, alternated:\n");
    for (int repeat = 0; repeat < 3; ++repeat)
        std::printf("  --jobs 1: %.2f s wall, %.2f s CPU; --jobs 2: %.2f s wall, %.2f s CPU (%.2f cores): %.2fx\n", ones[repeat].wall, ones[repeat].cpu,
                    twos[repeat].wall, twos[repeat].cpu, twos[repeat].cpu / twos[repeat].wall, ratios[repeat]);
    std::vector<double> sorted = ratios;
    std::sort(sorted.begin(), sorted.end());
    const double speedup = sorted[1];
    std::printf("  speed-up (median of 3): %.2fx (target >= %.1fx: %s)\n", speedup, kTargetSpeedup, speedup >= kTargetSpeedup ? "met" : "NOT met");
    // Unpinned, one job runs where the kernel puts it; on unequal cores the ratio then says as
    // much about that placement as about the sweep. Against the fastest core it cannot beat the
    // cores' own ceiling above.
    const double strict = onFastest.wall / twos[1].wall;
    std::printf("  --jobs 1 pinned to core %d (the fastest): %.2f s wall; the median --jobs 2 is %.2fx faster (%.0f%% of the cores' %.2fx)\n",
                cores.fastest(), onFastest.wall, strict, 100 * strict / ceiling, ceiling);
    std::printf("baseline, the same 8 scenarios as plain `alprsim run` processes, no sweep:\n");
    std::printf("  one at a time: %.2f s wall, %.2f s CPU; two at a time: %.2f s wall, %.2f s CPU: %.2fx\n", plainOne.wall, plainOne.cpu,
                plainTwo.wall, plainTwo.cpu, plainOne.wall / plainTwo.wall);
    std::printf("  summary.csv identical in all 8 sweeps: %s\n", same ? "yes" : "NO");
    fs::remove_all(dir);
    return same ? 0 : 1;
}
