// alprsim analyze RUN_DIR: recompute what a run's reads give away, from the files the run left
// (roads.json, trips.csv, its read stores, vehicles.csv), without simulating again.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "analysis/reconstructibility.h"
#include "core/files.h"
#include "run_folder/run_folder.h"

namespace alprsim::cli {

namespace {
struct AnalyzeArgs {
    std::string runDir;
    std::string retention;
    std::string out;
};
}  // namespace

void addAnalyzeCommand(CLI::App& app) {
    auto args = std::make_shared<AnalyzeArgs>();
    CLI::App* cmd = app.add_subcommand("analyze", "Measure what a finished run's reads give away, without re-simulating");
    cmd->add_option("run_dir", args->runDir, "A directory written by `alprsim run`")->required();
    cmd->add_option("--retention", args->retention,
                    "Comma-separated retention periods to report (e.g. 3m,48h,21d,1y,forever); "
                    "default 3m,2d,21d,60d,1y,5y,forever");
    cmd->add_option("-o,--out", args->out,
                    "Where to write the analysis JSON (default RUN_DIR/analysis.json); trips.csv with each trip's "
                    "level and example_trips.geojson are written beside it");
    cmd->callback([args] {
        AnalysisConfig config;
        if (!args->retention.empty()) config.retentions = parseRetentionList(args->retention, "--retention");
        const std::filesystem::path out =
            args->out.empty() ? RunFolder(args->runDir).analysis() : std::filesystem::path(args->out);
        const AnalysisOutput result = analyzeRunDirectory(args->runDir, config);
        const std::filesystem::path dir = out.parent_path().empty() ? "." : out.parent_path();
        std::filesystem::create_directories(dir);
        writeAnalysisFiles(dir, result);
        writeFileAtomically(out, nlohmann::json{{"reconstructibility", result.reconstructibility}}.dump(2) + "\n");
        std::fputs(plainReconstructibilitySummary(result.reconstructibility).c_str(), stdout);
        std::printf("Analysis: %s (trips.csv and example_trips.geojson beside it)\n", out.string().c_str());
    });
}

}  // namespace alprsim::cli
