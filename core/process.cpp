#include "core/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

namespace alprsim {

namespace {

bool setLimit(int resource, long long bytes) {
    const rlimit limit{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
    return bytes < 0 || ::setrlimit(resource, &limit) == 0;
}

// In the forked child: only async-signal-safe calls until exec (the parent may have threads).
[[noreturn]] void becomeChild(const std::vector<std::string>& argv, char* const* args, const ChildOptions& o, int outputFd) {
    if (o.ownProcessGroup) ::setpgid(0, 0);
    if (outputFd < 0 && !o.outputFile.empty()) {
        outputFd = ::open(o.outputFile.c_str(), O_WRONLY | O_CREAT | (o.appendOutput ? O_APPEND : O_TRUNC), 0644);
        if (outputFd < 0) _exit(126);
    }
    if (outputFd >= 0) {
        ::dup2(outputFd, STDOUT_FILENO);
        ::dup2(outputFd, STDERR_FILENO);
        ::close(outputFd);
    }
    if (o.closeStdin) ::close(STDIN_FILENO);
    // Without SIGXFSZ ignored the kernel kills the writer; ignored, write() fails with EFBIG, as
    // it fails with ENOSPC on a full disk: the program must notice either way.
    if (o.fileSizeLimitBytes >= 0) ::signal(SIGXFSZ, SIG_IGN);
    if (!setLimit(RLIMIT_FSIZE, o.fileSizeLimitBytes) || !setLimit(RLIMIT_AS, o.addressSpaceLimitBytes)) _exit(125);
    if (o.inProcess) {
        int code = 1;
        try {  // nothing may unwind into the parent's frames, copied into this child
            code = o.inProcess(argv);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "alprsim: internal error: %s\n", e.what());
        }
        std::fflush(nullptr);
        _exit(code);
    }
    if (o.searchPath)
        ::execvp(args[0], args);
    else
        ::execv(args[0], args);
    _exit(127);
}

pid_t start(const std::vector<std::string>& argv, const ChildOptions& options, int outputFd) {
    if (argv.empty()) throw std::invalid_argument("startChild: no command");
    std::vector<char*> args;  // built before the fork: the child must not allocate
    args.reserve(argv.size() + 1);
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(nullptr);  // or the child writes the parent's buffered output again
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("cannot start " + argv[0] + ": fork failed");
    if (pid == 0) becomeChild(argv, args.data(), options, outputFd);
    if (options.ownProcessGroup) ::setpgid(pid, pid);  // also here: the caller may signal the group at once
    return pid;
}

}  // namespace

pid_t startChild(const std::vector<std::string>& argv, const ChildOptions& options) { return start(argv, options, -1); }

int exitCodeOf(int waitStatus) { return WIFEXITED(waitStatus) ? WEXITSTATUS(waitStatus) : 128 + WTERMSIG(waitStatus); }

int waitChild(pid_t pid, long* maxRssKb) {
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0)
        if (errno != EINTR) throw std::runtime_error("waiting for process " + std::to_string(pid) + " failed");
    if (maxRssKb) *maxRssKb = usage.ru_maxrss;
    return exitCodeOf(status);
}

bool childRunning(pid_t pid) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
    return info.si_pid == 0;
}

ProcessResult runCapturingOutput(const std::vector<std::string>& argv, const ChildOptions& options) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("cannot start " + argv.at(0) + ": pipe failed");
    pid_t pid = -1;
    try {
        pid = start(argv, options, fds[1]);  // dup2 onto stdout clears O_CLOEXEC there
    } catch (...) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw;
    }
    ::close(fds[1]);
    ProcessResult result;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n > 0)
            result.output.append(buf, static_cast<size_t>(n));
        else if (errno != EINTR)
            break;
    }
    ::close(fds[0]);
    result.exitCode = waitChild(pid);
    return result;
}

}  // namespace alprsim
