#include "sweep/local_backend.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <thread>

#include "core/files.h"
#include "core/process.h"
#include "core/progress.h"

namespace alprsim {

std::vector<std::string> runCommand(const fs::path& alprsim, const RunTask& task, unsigned threads) {
    std::vector<std::string> argv{alprsim.string(), "run", task.scenario.string(), "--out", task.outDir.string(), "--force"};
    argv.insert(argv.end(), task.extraArgs.begin(), task.extraArgs.end());
    if (threads > 0) argv.insert(argv.end(), {"--threads", std::to_string(threads)});
    return argv;
}

namespace {

// Each run's share of the machine's cores when `jobs` runs share it.
unsigned threadsPerRun(unsigned jobs) { return std::max(1u, onlineCores() / jobs); }

}  // namespace

unsigned onlineCores() {
    const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? static_cast<unsigned>(cores) : 1;
}

LocalBackend::LocalBackend(fs::path alprsim, unsigned jobs, std::string progressLabel, CommandLine inProcess)
    : alprsim_(std::move(alprsim)),
      jobs_(jobs ? jobs : 1),
      progressLabel_(std::move(progressLabel)),
      inProcess_(std::move(inProcess)) {}

std::vector<RunOutcome> LocalBackend::execute(const std::vector<RunTask>& tasks) {
    std::vector<RunOutcome> outcomes;
    std::map<pid_t, const RunTask*> running;
    size_t next = 0;
    Progress progress(progressLabel_, tasks.size());
    auto reap = [&](pid_t pid, int status) {
        const RunTask* task = running.at(pid);
        running.erase(pid);
        outcomes.push_back({task->id, fs::exists(task->outDir / task->completionFile), exitCodeOf(status), task->log});
        progress.update(outcomes.size(), std::to_string(outcomes.size()) + " of " + std::to_string(tasks.size()) +
                                             " runs ended (last " + task->id + ")");
    };
    // Polling, not a blocking wait: signals restart waitpid, and an interrupt must be seen.
    while (next < tasks.size() || !running.empty()) {
        if (interruptRequested()) break;
        while (next < tasks.size() && running.size() < jobs_) {
            ChildOptions options;
            options.outputFile = tasks[next].log.string();
            options.inProcess = inProcess_;  // the command line run in the child, when given
            running[startChild(runCommand(alprsim_, tasks[next], threadsPerRun(jobs_)), options)] = &tasks[next];
            ++next;
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0 && running.count(pid)) {
            reap(pid, status);
        } else {
            progress.update(outcomes.size(), std::to_string(outcomes.size()) + " of " + std::to_string(tasks.size()) +
                                                 " runs ended, " + std::to_string(running.size()) + " running");
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    if (interruptRequested()) {
        // Each run removes its partial output on SIGTERM; wait for them to do so.
        for (const auto& [pid, task] : running) ::kill(pid, SIGTERM);
        while (!running.empty()) {
            int status = 0;
            const pid_t pid = ::waitpid(-1, &status, 0);
            if (pid > 0 && running.count(pid)) reap(pid, status);
            if (pid < 0 && errno == ECHILD) break;
        }
        throw Interrupted();
    }
    progress.finish();
    return outcomes;
}

}  // namespace alprsim
