#pragma once
// Where child runs execute, chosen the same way by `alprsim sweep` (its runs) and by
// `alprsim run --day-processes` (its day processes): --backend local|slurm, and for Slurm
// --sbatch-arg (repeatable) and --poll-seconds.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "sweep/slurm_backend.h"

namespace alprsim::cli {

struct BackendArgs {
    std::string backend = "local";
    std::vector<std::string> sbatchArgs;
    double pollSeconds = 5;
};

// Adds the options to `cmd`; `what` names what executes ("runs", "day processes").
void addBackendOptions(CLI::App* cmd, BackendArgs& args, const std::string& what);

// The Slurm backend's options if --backend slurm was chosen, else nothing.
std::optional<SlurmOptions> slurmOptions(const BackendArgs& args);

}  // namespace alprsim::cli
