#pragma once
// The one way the tree starts a child process: the command as an argv vector, executed directly
// (never through a shell, so nothing is quoted by hand), or a function run in the forked child.
// Used by the sweep backends, netconvert, the tests and the benches.
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace alprsim {

struct ChildOptions {
    std::string outputFile;     // stdout and stderr go here ("": the parent's)
    bool appendOutput = false;  // append to outputFile instead of replacing it
    bool closeStdin = false;
    bool searchPath = false;                // argv[0] looked up on PATH; otherwise it is a path
    bool ownProcessGroup = false;           // the child leads a new process group (kill(-pid) reaches what it starts)
    long long fileSizeLimitBytes = -1;      // RLIMIT_FSIZE (with SIGXFSZ ignored), -1: none
    long long addressSpaceLimitBytes = -1;  // RLIMIT_AS, -1: none
    // When set, the child runs this on argv instead of executing argv[0], and exits with what it
    // returns (by _exit: the parent's atexit handlers and static objects are the parent's to run).
    std::function<int(const std::vector<std::string>&)> inProcess;
};

// Starts the child; throws std::runtime_error if it cannot be forked. A program that cannot be
// executed (or an output file that cannot be opened) ends the child with 127 (126).
pid_t startChild(const std::vector<std::string>& argv, const ChildOptions& options = {});

// A waitpid status as one code: the exit code, or 128 + the signal that ended the child.
int exitCodeOf(int waitStatus);

// Waits for the child (through EINTR): exitCodeOf its status; its peak resident memory in kB
// into *maxRssKb if given.
int waitChild(pid_t pid, long* maxRssKb = nullptr);

// True while the child runs (looks without reaping it, so waitChild still gets its status).
bool childRunning(pid_t pid);

struct ProcessResult {
    int exitCode = -1;
    std::string output;  // stdout and stderr together
};

// Runs the command to its end: exit code and output.
ProcessResult runCapturingOutput(const std::vector<std::string>& argv, const ChildOptions& options = {});

}  // namespace alprsim
