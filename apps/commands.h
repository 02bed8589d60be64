#pragma once
// The alprsim subcommands. Each cmd_*.cpp adds one subcommand to the CLI; its callback does
// the work and may throw: InputError becomes exit 2 with its message, Interrupted exit 130,
// anything else exit 1 (see main.cpp).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace alprsim::cli {

void addImportNetCommand(CLI::App& app);
void addRunCommand(CLI::App& app);
void addAnalyzeCommand(CLI::App& app);
void addSweepCommand(CLI::App& app);
void addReportCommand(CLI::App& app);
void addRecognizeCommand(CLI::App& app);
void addRenderCommand(CLI::App& app);

// The whole command line: parses argv (argv[0] is the program), runs the subcommand, returns
// the exit code. main() calls it, and so does a sweep's forked run.
int runCommandLine(int argc, char** argv);
int runCommandLine(const std::vector<std::string>& argv);

// The report format --out names by its extension: .csv, .json, else html (the page). An
// explicit --format wins.
std::string reportFormatFor(const std::filesystem::path& out, const std::string& explicitFormat);

// Writes the report of run and sweep directories into `out` (its folder created), in `format`
// (html, csv or json); returns how many runs it holds. `alprsim report` and `run --report`.
size_t writeReport(const std::vector<std::filesystem::path>& dirs, const std::filesystem::path& out, const std::string& format);

// This alprsim binary (sweeps and day processes run it as child processes).
std::filesystem::path selfExecutable();

}  // namespace alprsim::cli
