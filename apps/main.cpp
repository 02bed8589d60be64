// alprsim: the command-line front end. Every subcommand lives in its own cmd_*.cpp.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "apps/commands.h"
#include "core/error.h"
#include "core/output_error.h"
#include "core/progress.h"

int main(int argc, char** argv) {
    using namespace alprsim;
    CLI::App app{"alprsim: what automatic licence-plate readers do to privacy, simulated and measured"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "alprsim 0.1.0");
    spdlog::set_level(spdlog::level::warn);
    app.add_flag_callback("-v,--verbose", [] { spdlog::set_level(spdlog::level::info); }, "Log each stage to stderr");
    cli::addImportNetCommand(app);
    cli::addRunCommand(app);
    cli::addAnalyzeCommand(app);
    cli::addSweepCommand(app);
    cli::addReportCommand(app);
    cli::addRecognizeCommand(app);
    cli::addRenderCommand(app);

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
