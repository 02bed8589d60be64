#pragma once
// Running the alprsim binary from tests: libsumo allows one simulation per process, and exit
// codes and messages are part of the contract, so end-to-end tests drive the real CLI.
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/process.h"

namespace alprsim::test {

using alprsim::ProcessResult;

// Runs argv (argv[0] a path), waits, returns exit code and output (core/process.h).
ProcessResult runProcess(const std::vector<std::string>& argv);

// The alprsim binary built with the tests, and the source tree.
std::string alprsimBinary();
std::string sourceDir();

// A fresh empty directory under the test's working directory.
std::string freshDir(const std::string& name);

std::string readFile(const std::string& path);

// Sets an environment variable, which the processes a test starts inherit, for the life of the
// object (each test case runs in its own process).
struct ScopedEnv {
    std::string name;
    ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) { ::setenv(name.c_str(), value.c_str(), 1); }
    ~ScopedEnv() { ::unsetenv(name.c_str()); }
};

// scenarios/quick.json with `vehicles` cars over `durationHours` (departures over
// `departWindowHours` when it is above 0, else quick.json's window), written as DIR/NAME.json;
// returns the file's path. For tests that need a run of a given length.
std::string quickScenarioVariant(const std::string& dir, const std::string& name, int vehicles, double durationHours,
                                 double departWindowHours = 0);

}  // namespace alprsim::test
