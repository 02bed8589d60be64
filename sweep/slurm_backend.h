#pragma once
// Runs on a Slurm cluster: one `sbatch --array` job with a task per run, each task calling
// `alprsim run`; then waits for the job to leave the queue (polling squeue). The sweep
// directory must be on a filesystem the compute nodes share, and the alprsim binary must run
// there at the same path.
#include <string>
#include <vector>

#include "sweep/run_backend.h"

namespace alprsim {

struct SlurmOptions {
    std::vector<std::string> sbatchArgs;  // passed to sbatch as given, e.g. --partition=short
    double pollSeconds = 5;
};

class SlurmBackend : public RunBackend {
public:
    SlurmBackend(std::filesystem::path alprsim, std::filesystem::path jobDir, SlurmOptions options);
    std::vector<RunOutcome> execute(const std::vector<RunTask>& tasks) override;

    // The batch script for `tasks` (also written to jobDir/job.sh), for inspection and tests.
    std::string jobScript(const std::vector<RunTask>& tasks) const;

private:
    std::filesystem::path alprsim_;
    std::filesystem::path jobDir_;
    SlurmOptions options_;
};

}  // namespace alprsim
