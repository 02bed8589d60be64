#pragma once
// Runs on a Slurm cluster: one `sbatch --array` job with a task per run, each task calling
// `alprsim run` (with the task's extra arguments: a day process's `--only-day K`); then waits
// for the job to leave the queue (polling squeue). Used by `alprsim sweep --backend slurm` and
// by `alprsim run --day-processes N --backend slurm`. The output folders must be on a
// filesystem the compute nodes share, and the alprsim binary must run there at the same path.
#include <string>
#include <vector>

#include "sweep/run_backend.h"

namespace alprsim {

struct SlurmOptions {
    std::vector<std::string> sbatchArgs;  // passed to sbatch as given, e.g. --partition=short
    double pollSeconds = 5;
    unsigned maxRunning = 0;      // array tasks running at once (--array=0-N%M); 0: as many as the cluster gives
    std::string label = "sweep";  // what the job runs: its name (alprsim-LABEL) and progress label
};

class SlurmBackend : public RunBackend {
public:
    SlurmBackend(std::filesystem::path alprsim, std::filesystem::path jobDir, SlurmOptions options);
    // Throws std::runtime_error naming the command when sbatch or squeue cannot be run or fail.
    std::vector<RunOutcome> execute(const std::vector<RunTask>& tasks) override;

    // The batch script for `tasks` (also written to jobDir/job.sh), for inspection and tests.
    std::string jobScript(const std::vector<RunTask>& tasks) const;

private:
    std::filesystem::path alprsim_;
    std::filesystem::path jobDir_;
    SlurmOptions options_;
};

}  // namespace alprsim
