#pragma once
// The CLI as a child process the test can limit and signal while it runs (core/process.h),
// with its output appended to a file the test reads.
#include <filesystem>

#include "core/process.h"
#include "tests/support/process.h"

namespace alprsim::test {

using alprsim::ChildOptions;
using alprsim::childRunning;
using alprsim::waitChild;

// Starts argv (argv[0] a path) with stdout and stderr appended to outputFile.
inline pid_t startChild(const std::vector<std::string>& argv, const std::string& outputFile, ChildOptions options = {}) {
    options.outputFile = outputFile;
    options.appendOutput = true;
    return alprsim::startChild(argv, options);
}

// quick.json, busy enough that a run lasts a few seconds and a signal lands mid-simulation.
inline std::filesystem::path busyScenario(const std::filesystem::path& dir) {
    return quickScenarioVariant(dir.string(), "busy", 2000, 2);
}

// Polls `condition` every 20 ms until it holds (true) or the child `pid` has ended (false): an
// event, never the clock, ends the wait (ctest's timeout bounds a test that hangs).
template <typename Condition>
bool waitWhileRunning(Condition condition, pid_t pid);

}  // namespace alprsim::test

#include <chrono>
#include <thread>

template <typename Condition>
bool alprsim::test::waitWhileRunning(Condition condition, pid_t pid) {
    while (!condition()) {
        if (!childRunning(pid)) return condition();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}
