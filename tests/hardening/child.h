#pragma once
// The CLI as a child process the test can limit and signal while it runs (tests/support's
// runProcess only runs to completion): output to a file, an optional file-size limit.
#include <sys/types.h>

#include <string>
#include <vector>

namespace alprsim::test {

struct ChildOptions {
    long long fileSizeLimitBytes = -1;  // RLIMIT_FSIZE in the child (SIGXFSZ ignored), -1: none
    long long addressSpaceLimitBytes = -1;  // RLIMIT_AS in the child, -1: none (so that a test of
                                            // bounded memory cannot take the machine down if it fails)
    bool ownProcessGroup = false;  // the child leads a new process group (kill(-pid) reaches what it forks)
};

// Starts argv (argv[0] a path) with stdout and stderr appended to outputFile.
pid_t startChild(const std::vector<std::string>& argv, const std::string& outputFile, const ChildOptions& options = {});

// Waits for the child: its exit code, or 128 + the signal that ended it; its peak resident
// memory in kB into *maxRssKb if given.
int waitChild(pid_t pid, long* maxRssKb = nullptr);

// True while the child runs.
bool childRunning(pid_t pid);

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
