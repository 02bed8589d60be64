// alprsim run SCENARIO.json --out DIR: simulate one scenario and measure its reads.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>

#include "apps/commands.h"
#include "apps/scenario_run.h"

namespace alprsim::cli {

namespace {
struct RunArgs {
    std::string scenario;
    std::string out;
    bool force = false;
};
}  // namespace

void addRunCommand(CLI::App& app) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario and measure what its cameras read");
    cmd->add_option("scenario", args->scenario, "Scenario file (JSON)")->required();
    cmd->add_option("-o,--out", args->out, "Output directory (must not exist unless --force)")->required();
    cmd->add_flag("--force", args->force, "Replace an existing output directory");
    cmd->callback([args] {
        const Scenario scenario = loadScenario(args->scenario);
        const nlohmann::json results = runScenario(scenario, RunOptions{args->out, args->force});
        std::fputs(plainSummary(results, args->out).c_str(), stdout);
    });
}

}  // namespace alprsim::cli
