// alprsim run SCENARIO.json --out DIR: simulate one scenario and measure its reads.
#include <spdlog/spdlog.h>
#include <tbb/global_control.h>

#include <opencv2/core/utility.hpp>

#include <cstdio>
#include <memory>
#include <optional>

#include "core/error.h"
#include "core/files.h"

#include "apps/backend_options.h"
#include "apps/commands.h"
#include "pipeline/run_summary.h"
#include "pipeline/scenario_run.h"
#include "run_folder/run_folder.h"

namespace alprsim::cli {

namespace {
struct RunArgs {
    std::string scenario;
    std::string out;
    bool force = false;
    bool report = false;
    unsigned threads = 0;  // 0: every core
    unsigned dayProcesses = 1;
    std::optional<uint32_t> onlyDay;
    std::string camerasFrom;  // with --only-day: the whole run's fixed cameras (days/cameras.json)
    BackendArgs where;        // of the day processes
};

// --backend slurm hands out day processes: it needs --day-processes and is none itself.
void checkBackend(const RunArgs& args) {
    if (args.where.backend != "slurm") return;
    if (args.onlyDay)
        throw InputError("--backend", "slurm",
                         "no --only-day with it (--only-day runs one day process here; --backend slurm submits them all)");
    if (args.dayProcesses < 2)
        throw InputError("--backend", "slurm",
                         "--day-processes N (at least 2) with it: Slurm runs each day of the scenario as an array task, "
                         "at most N at once");
}
}  // namespace

void addRunCommand(CLI::App& app) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario and measure what its cameras read");
    cmd->add_option("scenario", args->scenario, "Scenario file (JSON)")->required();
    cmd->add_option("-o,--out", args->out, "Output directory (must not exist unless --force)")->required();
    cmd->add_flag("--force", args->force, "Replace an existing output directory");
    cmd->add_flag("--report", args->report, "Also write the run's report page, DIR/report.html (as alprsim report does)");
    cmd->add_option("--threads", args->threads,
                    "Worker threads for route planning, cameras, recognition and analysis (default: one per core); sweeps give "
                    "each run its share")
        ->check(CLI::Range(1u, 1024u));
    cmd->add_option("--day-processes", args->dayProcesses,
                    "Multi-day scenarios: simulate each day in its own process, this many at a time (days then do not share "
                    "traffic across midnight); with --backend slurm, as a Slurm array job")
        ->check(CLI::Range(1u, 1024u));
    cmd->add_option("--only-day", args->onlyDay,
                    "Simulate only this day and write its day part into --out (what --day-processes runs)");
    cmd->add_option("--cameras-from", args->camerasFrom,
                    "With --only-day: place the fixed cameras listed in this file (the days/cameras.json a run with "
                    "--day-processes writes) instead of from the first day's trips");
    addBackendOptions(cmd, args->where, "the day processes (with --day-processes)");
    cmd->callback([args] {
        checkBackend(*args);
        // Results do not depend on the thread count (parallel loops write to their own slots).
        std::unique_ptr<tbb::global_control> threadLimit;
        if (args->threads > 0)
            threadLimit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, args->threads);
        // What is spread over the cores is the captures (recognition/parallel_reads.h), each read
        // on one thread: OpenCV's own parallel loops inside them (the warp, the blurs) would enter
        // OpenCV's thread arena from every reading thread and wait on each other.
        cv::setNumThreads(1);
        const Scenario scenario = loadScenario(args->scenario);
        if (!args->camerasFrom.empty() && !args->onlyDay)
            throw InputError("--cameras-from", args->camerasFrom, "--only-day K with it (it places a day process's cameras)");
        const RunOptions options{args->out,     args->force,      args->dayProcesses, selfExecutable(), slurmOptions(args->where),
                                 args->threads, args->camerasFrom};
        if (args->onlyDay) {
            const DayPartSummary day = runDayPart(scenario, options, *args->onlyDay);
            std::printf("Day %u: %zu trips, %zu reads: %s\n", day.day, day.trips, day.reads, args->out.c_str());
            return;
        }
        std::fputs(plainSummary(runScenario(scenario, options), args->out).c_str(), stdout);
        const fs::path page = RunFolder(args->out).report();
        if (args->report) {
            writeReport({args->out}, page, "html");
            std::printf("Report: %s (open it in a web browser)\n", page.string().c_str());
        } else {
            std::printf("To see it as a page: %s report %s --out %s (or run with --report)\n", selfExecutable().string().c_str(),
                        args->out.c_str(), page.string().c_str());
        }
    });
}

}  // namespace alprsim::cli
