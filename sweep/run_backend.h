#pragma once
// Where a sweep's runs, or a multi-day run's day processes, execute. Each run is one
// `alprsim run SCENARIO --out DIR` process (libsumo allows one simulation per process); the run
// writes DIR atomically, so a backend only has to start the processes and say how each one ended.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "run_folder/run_folder.h"

namespace alprsim {

struct RunTask {
    std::string id;
    std::filesystem::path scenario;                    // the complete scenario file
    std::filesystem::path outDir;                      // runs/<id>: exists with its completion file iff the run finished
    std::filesystem::path log;                         // the run's stdout and stderr
    std::vector<std::string> extraArgs;                // after `run SCENARIO --out DIR --force`, e.g. --only-day K
    std::string completionFile = RunFolder::kResults;  // written last: its presence marks a finished run
};

struct RunOutcome {
    std::string id;
    bool finished = false;        // the task's completion file written
    std::optional<int> exitCode;  // when the backend knows it
    std::filesystem::path log;
};

class RunBackend {
public:
    virtual ~RunBackend() = default;
    // Runs every task; a failed task does not stop the others. Throws Interrupted on SIGINT/SIGTERM
    // after stopping what it started.
    virtual std::vector<RunOutcome> execute(const std::vector<RunTask>& tasks) = 0;
};

// The exact command line of one run: argv[0] is the alprsim binary. `threads` is the run's
// share of the cores (0: all of them); runs that share a machine must not each start a thread per
// core, or they oversubscribe it and idle worker threads spin on cores the other runs need.
std::vector<std::string> runCommand(const std::filesystem::path& alprsim, const RunTask& task, unsigned threads = 0);

}  // namespace alprsim

namespace alprsim {

// The alprsim command line as a function of its arguments (argv[0] included), returning the exit
// code: what the local backend calls in a forked child instead of executing the binary again.
using CommandLine = std::function<int(const std::vector<std::string>& argv)>;

}  // namespace alprsim
