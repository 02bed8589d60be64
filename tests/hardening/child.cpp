#include "tests/hardening/child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace alprsim::test {

pid_t startChild(const std::vector<std::string>& argv, const std::string& outputFile, const ChildOptions& options) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid > 0) {
        if (options.ownProcessGroup) ::setpgid(pid, pid);  // also here: the caller may signal the group at once
        return pid;
    }
    if (options.ownProcessGroup) ::setpgid(0, 0);
    const int fd = ::open(outputFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) _exit(126);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
    if (options.fileSizeLimitBytes >= 0) {
        // Without SIGXFSZ ignored the kernel kills the writer; ignored, write() fails with
        // EFBIG, as it fails with ENOSPC on a full disk: the program must notice either way.
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{static_cast<rlim_t>(options.fileSizeLimitBytes), static_cast<rlim_t>(options.fileSizeLimitBytes)};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(125);
    }
    if (options.addressSpaceLimitBytes >= 0) {
        const rlimit limit{static_cast<rlim_t>(options.addressSpaceLimitBytes), static_cast<rlim_t>(options.addressSpaceLimitBytes)};
        if (::setrlimit(RLIMIT_AS, &limit) != 0) _exit(125);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    _exit(127);
}

int waitChild(pid_t pid, long* maxRssKb) {
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    if (maxRssKb) *maxRssKb = usage.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool childRunning(pid_t pid) {
    siginfo_t info{};
    // WNOWAIT: look without reaping, so waitChild() still gets the exit status.
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
    return info.si_pid == 0;
}

}  // namespace alprsim::test
