// `alprsim run --day-processes N --backend slurm`: a multi-day run's day processes as one Slurm
// array job on a real one-node cluster (tests/support/local_slurm.h), merged as local day
// processes are, into the same files byte for byte; a failed task or an interrupt leaves no
// output; and what it refuses before submitting.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "core/process.h"
#include "tests/support/local_slurm.h"
#include "tests/support/process.h"
#include "tests/support/text.h"

using namespace alprsim;
namespace fs = std::filesystem;
using alprsim::test::contains;
using nlohmann::json;

namespace {

// Brookline at half a percent of its population over `hours` (three days: 2,031 trips), with
// calibrated recognition and agency stores, as brookline-week.json has them.
std::string brooklineDays(const std::string& dir, int hours) {
    const json s = {{"extends", test::sourceDir() + "/scenarios/brookline-week.json"},
                    {"name", "days-" + std::to_string(hours) + "h"},
                    {"time", {{"duration_hours", hours}}},
                    {"demand", {{"scale", 0.005}}}};
    const std::string path = dir + "/days-" + std::to_string(hours) + "h.json";
    std::ofstream(path) << s.dump();
    return path;
}

// Every file of a run folder, by its path inside it. sumo.log is left out: SUMO writes its
// load times into it, which differ between any two runs.
std::set<std::string> runFiles(const fs::path& dir) {
    std::set<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename() != "sumo.log") files.insert(fs::relative(e.path(), dir).string());
    return files;
}

// No folder in `dir` whose name begins with `name`: no output, finished or partial.
bool nothingNamed(const fs::path& dir, const std::string& name) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(name, 0) == 0) return false;
    return true;
}

ProcessResult alprsimRun(const std::string& scenario, const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> argv{test::alprsimBinary(), "run", scenario, "--out", out};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::runProcess(argv);
}

}  // namespace

TEST_CASE(
    "Day processes run as a Slurm array job merge into the same files as local ones, and a failed task or an "
    "interrupt leaves no output",
    "[days][slurm]") {
    const std::string dir = test::freshDir("days-slurm");
    const std::string scenario = brooklineDays(dir, 72);
    // Port 16837: the sweep's Slurm test (16817) may run at the same time.
    const test::LocalSlurm slurm(fs::current_path() / "tmp-slurm-days-cluster", 16837);

    const auto local = alprsimRun(scenario, dir + "/local", {"--day-processes", "2"});
    INFO(local.output);
    REQUIRE(local.exitCode == 0);
    const auto onSlurm =
        alprsimRun(scenario, dir + "/slurm", {"--day-processes", "2", "--backend", "slurm", "--poll-seconds", "0.2"});
    INFO(onSlurm.output);
    REQUIRE(onSlurm.exitCode == 0);
    CHECK_FALSE(contains(local.output, "Slurm"));

    // The three days went through slurmd: the controller still knows the job's tasks, completed.
    std::smatch submitted;
    REQUIRE(std::regex_search(onSlurm.output, submitted, std::regex("Submitted Slurm array job (\\d+) \\(3 tasks\\)")));
    const auto job = test::runProcess({"/usr/bin/scontrol", "show", "job", submitted[1].str()});
    INFO(job.output);
    const std::regex completed("JobState=COMPLETED");
    CHECK(std::distance(std::sregex_iterator(job.output.begin(), job.output.end(), completed), std::sregex_iterator()) == 3);

    const json results = json::parse(test::readFile(dir + "/slurm/results.json"));
    CHECK(results["simulated"]["days"] == 3);
    CHECK(results["simulated"]["day_processes"] == 2);
    CHECK(results["counts"]["reads"].get<int>() > 0);
    CHECK_FALSE(fs::exists(dir + "/slurm/days"));  // the day parts and the job's files are merged and gone

    // Byte for byte the same run: results.json, reads, stores, trips, everything but SUMO's log.
    const std::set<std::string> files = runFiles(dir + "/local");
    CHECK(files.count("results.json") == 1);
    CHECK(files.count("reads.sqlite") == 1);
    CHECK(runFiles(dir + "/slurm") == files);
    for (const std::string& f : files) {
        INFO(f);
        CHECK(test::readFile(dir + "/local/" + f) == test::readFile(dir + "/slurm/" + f));
    }

    // A failed array task fails the run, naming the days, and leaves no output. The tasks'
    // environment (not the submitting run's) points at recognition data that is not there.
    const auto failed = alprsimRun(scenario, dir + "/failed",
                                   {"--day-processes", "2", "--backend", "slurm", "--poll-seconds", "0.2",
                                    "--sbatch-arg=--export=ALL,ALPRSIM_RECOGNITION_DATA=/nonexistent"});
    INFO(failed.output);
    CHECK(failed.exitCode == 1);
    CHECK(contains(failed.output, "Submitted Slurm array job"));
    CHECK(contains(failed.output, "day processes failed: day-0 (exit 2), day-1 (exit 2), day-2 (exit 2)"));
    CHECK(contains(failed.output, "/nonexistent/error_model.json"));  // the end of the failed day's log
    CHECK(nothingNamed(dir, "failed"));

    // Interrupted once its job is submitted: the job is cancelled, its tasks end, nothing is left.
    const fs::path log = fs::path(dir) / "stop-run.log";
    ChildOptions toLog;
    toLog.outputFile = log.string();
    const pid_t run = startChild({test::alprsimBinary(), "run", scenario, "--out", dir + "/stopped", "--day-processes", "2",
                                  "--backend", "slurm", "--poll-seconds", "0.2"},
                                 toLog);
    // (the child opens its log after the fork: it may not be there yet)
    while (childRunning(run) && !(fs::exists(log) && contains(test::readFile(log.string()), "Submitted Slurm array job")))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::kill(run, SIGINT);
    CHECK(waitChild(run) == 130);
    INFO(test::readFile(log.string()));
    CHECK(contains(test::readFile(log.string()), "partial output removed"));
    CHECK(nothingNamed(dir, "stopped"));
    CHECK(test::runProcess({"/usr/bin/squeue", "--noheader"}).output.empty());  // no task left running
}

TEST_CASE("Day processes on Slurm refuse what cannot be run, before and at submission", "[days][slurm]") {
    const std::string dir = test::freshDir("days-slurm-bad");
    const std::string scenario = brooklineDays(dir, 48);

    const auto noDays = alprsimRun(scenario, dir + "/no-days", {"--backend", "slurm"});
    CHECK(noDays.exitCode == 2);
    CHECK(contains(noDays.output, "--backend: at slurm: --day-processes N (at least 2)"));
    CHECK(nothingNamed(dir, "no-days"));

    const auto oneProcess = alprsimRun(scenario, dir + "/one-process", {"--day-processes", "1", "--backend", "slurm"});
    CHECK(oneProcess.exitCode == 2);
    CHECK(contains(oneProcess.output, "--day-processes N (at least 2)"));

    const auto onlyDay =
        alprsimRun(scenario, dir + "/only-day", {"--day-processes", "2", "--only-day", "1", "--backend", "slurm"});
    CHECK(onlyDay.exitCode == 2);
    CHECK(contains(onlyDay.output, "--backend: at slurm: no --only-day with it"));
    CHECK(nothingNamed(dir, "only-day"));

    const auto oneDay = alprsimRun(brooklineDays(dir, 24), dir + "/one-day", {"--day-processes", "2", "--backend", "slurm"});
    CHECK(oneDay.exitCode == 2);
    CHECK(contains(oneDay.output, "days-24h.json: at /time: more than one day for --backend slurm"));
    CHECK(nothingNamed(dir, "one-day"));

    // No Slurm commands on PATH: the run plans its first day, then cannot submit.
    const std::string path = std::getenv("PATH");
    ::setenv("PATH", "/nonexistent", 1);
    const auto noSbatch = alprsimRun(scenario, dir + "/no-sbatch", {"--day-processes", "2", "--backend", "slurm"});
    ::setenv("PATH", path.c_str(), 1);
    INFO(noSbatch.output);
    CHECK(noSbatch.exitCode == 1);
    CHECK(contains(noSbatch.output, "cannot run sbatch: not found on PATH"));
    CHECK(nothingNamed(dir, "no-sbatch"));
}
