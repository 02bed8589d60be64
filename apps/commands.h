#pragma once
// The alprsim subcommands. Each cmd_*.cpp adds one subcommand to the CLI; its callback does
// the work and may throw: InputError becomes exit 2 with its message, Interrupted exit 130,
// anything else exit 1 (see main.cpp).
#include <CLI/CLI.hpp>

#include <filesystem>

namespace alprsim::cli {

void addImportNetCommand(CLI::App& app);
void addRunCommand(CLI::App& app);
void addAnalyzeCommand(CLI::App& app);
void addSweepCommand(CLI::App& app);
void addReportCommand(CLI::App& app);
void addRecognizeCommand(CLI::App& app);
void addRenderCommand(CLI::App& app);

// This alprsim binary (sweeps and day processes run it as child processes).
std::filesystem::path selfExecutable();

}  // namespace alprsim::cli
