#include "apps/backend_options.h"

namespace alprsim::cli {

void addBackendOptions(CLI::App* cmd, BackendArgs& args, const std::string& what) {
    cmd->add_option("--backend", args.backend, "Where " + what + " execute")->check(CLI::IsMember({"local", "slurm"}));
    cmd->add_option("--sbatch-arg", args.sbatchArgs,
                    "Slurm: an argument for sbatch, e.g. --sbatch-arg=--partition=short (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--poll-seconds", args.pollSeconds, "Slurm: seconds between squeue polls")->check(CLI::Range(0.1, 3600.0));
}

std::optional<SlurmOptions> slurmOptions(const BackendArgs& args) {
    if (args.backend != "slurm") return std::nullopt;
    SlurmOptions options;
    options.sbatchArgs = args.sbatchArgs;
    options.pollSeconds = args.pollSeconds;
    return options;
}

}  // namespace alprsim::cli
