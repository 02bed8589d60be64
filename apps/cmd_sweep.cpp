// alprsim sweep SWEEP.json --out DIR: many runs of one base scenario with parameters varied,
// locally or on Slurm, aggregated into DIR/summary.csv.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "apps/backend_options.h"
#include "apps/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "sweep/local_backend.h"
#include "sweep/slurm_backend.h"
#include "sweep/sweep_runner.h"

namespace alprsim::cli {

namespace {

struct SweepArgs {
    std::string sweep;
    std::string out;
    unsigned jobs = 0;
    BackendArgs where;
};

void printReport(const SweepSpec& spec, const SweepReport& r) {
    std::printf("Sweep %s: %zu runs; %zu already done, %zu run now, %zu failed.\n", spec.name.c_str(), r.runs, r.alreadyDone,
                r.executed, r.failures.size());
    for (const RunOutcome& f : r.failures) {
        const std::string how =
            f.exitCode ? "exit " + std::to_string(*f.exitCode) : std::string("no exit status: never ran or was killed");
        std::printf("  run %s failed (%s); log: %s\n", f.id.c_str(), how.c_str(), f.log.c_str());
    }
    std::printf("Summary: %s\n", r.summary.c_str());
}

// Ends the sweep process without running the libraries' static destructors. Once runs have
// been forked from this process, every page those destructors free is copy-on-write shared
// with the finished children, and running them costs page faults, serial after the last run
// (the last run's end to the sweep's exit took 0.115 s with them, 0.057 s without; GDCM's DICOM
// dictionaries, which OpenCV's image codecs load, are the largest part). Everything of the sweep's is written, renamed into place and flushed by now. Sanitizer
// builds exit normally, so that LeakSanitizer still checks the sweep.
[[noreturn]] void exitWithoutTeardown(int code) {
    std::fflush(nullptr);
#if defined(__SANITIZE_ADDRESS__)
    std::exit(code);
#else
    _exit(code);
#endif
}

}  // namespace

void addSweepCommand(CLI::App& app) {
    auto args = std::make_shared<SweepArgs>();
    CLI::App* cmd = app.add_subcommand("sweep", "Run a base scenario over a grid of parameters and seeds, and summarise");
    cmd->add_option("sweep", args->sweep, "Sweep file (JSON): base scenario, grid/zip parameters, seeds")->required();
    cmd->add_option("-o,--out", args->out, "Sweep directory; a rerun into it skips finished runs")->required();
    cmd->add_option("-j,--jobs", args->jobs, "Local backend: runs at a time (default: one per core)")
        ->check(CLI::Range(1u, 1024u));
    addBackendOptions(cmd, args->where, "runs");
    cmd->callback([args] {
        const SweepSpec spec = loadSweepSpec(args->sweep);
        std::unique_ptr<RunBackend> backend;
        if (const std::optional<SlurmOptions> slurm = slurmOptions(args->where)) {
            backend = std::make_unique<SlurmBackend>(selfExecutable(), fs::absolute(args->out) / "slurm", *slurm);
        } else {
            // Runs are forked from this process, which has loaded libsumo but started no simulation.
            const CommandLine inProcess = [](const std::vector<std::string>& argv) { return runCommandLine(argv); };
            backend =
                std::make_unique<LocalBackend>(selfExecutable(), args->jobs ? args->jobs : onlineCores(), "sweep", inProcess);
        }
        const SweepReport report = runSweep(spec, args->out, *backend);
        printReport(spec, report);
        // Exit 1 when a run failed: the summary was written from the others, and a rerun redoes them.
        exitWithoutTeardown(report.failures.empty() ? kExitOk : kExitInternal);
    });
}

fs::path selfExecutable() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw std::runtime_error("cannot find the alprsim executable (/proc/self/exe)");
    return self;
}

}  // namespace alprsim::cli
