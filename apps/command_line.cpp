// The alprsim command line: every subcommand lives in its own cmd_*.cpp; this wires them together
// and turns what they throw into exit codes (see commands.h).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "alprsim_version.h"
#include "apps/commands.h"
#include "core/error.h"
#include "core/output_error.h"
#include "core/progress.h"

namespace alprsim::cli {

int runCommandLine(int argc, char** argv) {
    CLI::App app{"alprsim: what automatic licence-plate readers do to privacy, simulated and measured"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("alprsim ") + kVersion);
    spdlog::set_level(spdlog::level::warn);
    app.add_flag_callback(
        "-v,--verbose", [] { spdlog::set_level(spdlog::level::info); }, "Log each stage to stderr");
    // Options of the program (-v) are also taken after the subcommand: `alprsim run ... -v`.
    // Subcommands inherit this setting when they are added, so it comes first.
    app.fallthrough();
    addImportNetCommand(app);
    addRunCommand(app);
    addAnalyzeCommand(app);
    addSweepCommand(app);
    addReportCommand(app);
    addRecognizeCommand(app);
    addRenderCommand(app);

    installInterruptHandlers();
    try {
        app.parse(argc, argv);  // runs the chosen subcommand's callback
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitBadInput;
    } catch (const InputError& e) {
        std::fprintf(stderr, "alprsim: error: %s\n", e.what());
        return kExitBadInput;
    } catch (const OutputError& e) {
        std::fprintf(stderr, "alprsim: error: %s; partial output removed\n", e.what());
        return kExitInternal;
    } catch (const Interrupted& e) {
        std::fprintf(stderr, "alprsim: %s; partial output removed\n", e.what());
        return kExitInterrupted;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "alprsim: internal error: %s\n", e.what());
        return kExitInternal;
    }
    return kExitOk;
}

int runCommandLine(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    return runCommandLine(static_cast<int>(argv.size()), args.data());
}

}  // namespace alprsim::cli
