// core/process.h: a child started from an argv vector gets its arguments verbatim (no shell),
// its output can be captured or sent to a file, and its end comes back as one exit code.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/process.h"

using namespace alprsim;

namespace {
std::string readAll(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}
}  // namespace

TEST_CASE("runCapturingOutput passes arguments verbatim and returns stdout, stderr and the exit code", "[core][process]") {
    // Spaces, quotes, $ and ; reach the program as they are: no shell sees them.
    const ProcessResult r = runCapturingOutput({"/usr/bin/printf", "%s|", "a b", "it's", "\"q\"", "$HOME;x"});
    CHECK(r.exitCode == 0);
    CHECK(r.output == "a b|it's|\"q\"|$HOME;x|");
    const ProcessResult both = runCapturingOutput({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
    CHECK(both.exitCode == 3);
    CHECK(both.output == "out\nerr\n");
}

TEST_CASE("A program is found on PATH only when asked, and one that cannot run ends with 127", "[core][process]") {
    CHECK(runCapturingOutput({"printf", "x"}).exitCode == 127);  // not a path
    ChildOptions onPath;
    onPath.searchPath = true;
    CHECK(runCapturingOutput({"printf", "x"}, onPath).output == "x");
    CHECK(runCapturingOutput({"/nonexistent/program"}).exitCode == 127);
}

TEST_CASE("startChild: output to a file (replaced or appended), a function run in the child, signals", "[core][process]") {
    const auto dir = std::filesystem::temp_directory_path() / ("alprsim-process-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string log = (dir / "child.log").string();
    ChildOptions toLog;
    toLog.outputFile = log;
    CHECK(waitChild(startChild({"/bin/sh", "-c", "echo one; echo two >&2"}, toLog)) == 0);
    CHECK(readAll(log) == "one\ntwo\n");
    toLog.appendOutput = true;
    CHECK(waitChild(startChild({"/bin/sh", "-c", "echo three"}, toLog)) == 0);
    CHECK(readAll(log) == "one\ntwo\nthree\n");

    ChildOptions inChild;
    inChild.outputFile = log;
    inChild.inProcess = [](const std::vector<std::string>& argv) {
        std::printf("%zu arguments\n", argv.size());
        return 5;
    };
    CHECK(waitChild(startChild({"any", "thing"}, inChild)) == 5);
    CHECK(readAll(log) == "2 arguments\n");

    const pid_t sleeper = startChild({"/bin/sleep", "60"});
    CHECK(childRunning(sleeper));
    ::kill(sleeper, SIGKILL);
    CHECK(waitChild(sleeper) == 128 + SIGKILL);
    CHECK_FALSE(childRunning(sleeper));
    std::filesystem::remove_all(dir);
}
