// sweep_bench: the local backend's parallel speed-up (issue 8): a sweep of 8 small runs with
// --jobs 2 should take at most 1/1.8 of the time it takes with --jobs 1 on a 2-core machine.
// Each run is a separate `alprsim run` process, so the speed-up is what the machine gives two
// independent processes. Prints both wall times, the ratio, and whether the target is met;
// checks that both sweeps produced the same summary.csv.
// The baseline, measured in the same run: the sweep's 8 scenarios run as plain `alprsim run`
// processes, one at a time and two at a time, with no sweep around them. Its speed-up is what
// this machine gives two copies of this work (two vCPUs of a shared host do not give 2x for
// memory-bound work); the sweep's speed-up over it is what the sweep itself costs or gains.
// Usage: sweep_bench [alprsim binary] [folder=<temp>]   (the folder is removed afterwards)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kTargetSpeedup = 1.8;

int run(const std::vector<std::string>& argv) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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
        while (next < commands.size() && running < jobs) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                std::vector<char*> args;
                for (const std::string& a : commands[next]) args.push_back(const_cast<char*>(a.c_str()));
                args.push_back(nullptr);
                const int null = ::open("/dev/null", O_WRONLY);
                ::dup2(null, STDOUT_FILENO);
                ::dup2(null, STDERR_FILENO);
                ::execv(args[0], args.data());
                _exit(127);
            }
            ++next;
            ++running;
        }
        int status = 0;
        ::wait(&status);
        --running;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::fprintf(stderr, "sweep_bench: a baseline `alprsim run` failed\n");
            std::exit(1);
        }
    }
}

struct Timing {
    double wall = 0;
    double cpu = 0;
};

// On a machine shared with other work, wall time measures the neighbours too: the CPU the
// runs used is printed beside it, and wall / CPU shows how much of a core they got.
Timing timedSweep(const std::string& alprsim, const fs::path& sweep, const fs::path& out, int jobs) {
    const double cpuBefore = childCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    const int code = run({alprsim, "sweep", sweep.string(), "--out", out.string(), "--jobs", std::to_string(jobs)});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (code != 0) {
        std::fprintf(stderr, "sweep_bench: sweep with --jobs %d failed (exit %d)\n", jobs, code);
        std::exit(1);
    }
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
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {seconds, childCpuSeconds() - cpuBefore};
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

    // Warm the network cache first, so neither timed sweep pays for netconvert.
    timedSweep(alprsim, dir / "sweep.json", dir / "warm", 2);
    const Timing one = timedSweep(alprsim, dir / "sweep.json", dir / "jobs1", 1);
    const Timing two = timedSweep(alprsim, dir / "sweep.json", dir / "jobs2", 2);
    const Timing plainOne = timedPlainRuns(alprsim, dir / "jobs1" / "scenarios", dir / "plain1", 1);
    const Timing plainTwo = timedPlainRuns(alprsim, dir / "jobs1" / "scenarios", dir / "plain2", 2);
    const double plainSpeedup = plainOne.wall / plainTwo.wall;
    const bool same = readFile(dir / "jobs1" / "summary.csv") == readFile(dir / "jobs2" / "summary.csv");
    const double speedup = one.wall / two.wall;

    std::printf("sweep of 8 runs (quick.json, 150 cars, 20 min; cameras 2/4/8/16 x seeds 1,2)\n");
    std::printf("  --jobs 1: %.2f s wall, %.2f s CPU (%.2f s wall per run; runs had %.2f cores)\n", one.wall, one.cpu, one.wall / 8, one.cpu / one.wall);
    std::printf("  --jobs 2: %.2f s wall, %.2f s CPU (runs had %.2f cores)\n", two.wall, two.cpu, two.cpu / two.wall);
    std::printf("  speed-up: %.2fx (target >= %.1fx: %s)\n", speedup, kTargetSpeedup, speedup >= kTargetSpeedup ? "met" : "NOT met");
    std::printf("baseline, the same 8 scenarios as plain `alprsim run` processes, no sweep:\n");
    std::printf("  one at a time: %.2f s wall, %.2f s CPU; two at a time: %.2f s wall, %.2f s CPU\n", plainOne.wall, plainOne.cpu, plainTwo.wall, plainTwo.cpu);
    std::printf("  speed-up the machine gives two such processes: %.2fx\n", plainSpeedup);
    std::printf("  sweep speed-up / machine speed-up: %.2f (1.00: the sweep loses nothing to its own work)\n", speedup / plainSpeedup);
    std::printf("  summary.csv identical: %s\n", same ? "yes" : "NO");
    fs::remove_all(dir);
    return same ? 0 : 1;
}
