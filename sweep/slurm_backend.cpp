#include "sweep/slurm_backend.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "core/files.h"
#include "core/process.h"
#include "core/progress.h"

namespace alprsim {

namespace {

// Runs a Slurm command (found on PATH) and captures stdout and stderr.
ProcessResult capture(const std::vector<std::string>& argv) {
    ChildOptions options;
    options.searchPath = true;
    return runCapturingOutput(argv, options);
}

// A Slurm command that could not be started at all (the child's exec failed: exit 127, no output).
void checkStarted(const ProcessResult& r, const std::string& command) {
    if (r.exitCode == 127 && r.output.empty())
        throw std::runtime_error("cannot run " + command +
                                 ": not found on PATH (the Slurm backend needs Slurm's client commands, e.g. the "
                                 "Debian package slurm-client, and a cluster to submit to)");
}

fs::path exitFileOf(const RunTask& task) { return task.log.string() + ".exit"; }

// One task a line, tab-separated: id, scenario, out folder, log, then the task's extra arguments.
std::string taskLine(const RunTask& t) {
    std::vector<std::string> fields{t.id, t.scenario.string(), t.outDir.string(), t.log.string()};
    fields.insert(fields.end(), t.extraArgs.begin(), t.extraArgs.end());
    std::string line;
    for (const std::string& f : fields) {
        if (f.empty() || f.find_first_of("\t\n") != std::string::npos)
            throw std::runtime_error("run " + t.id + ": '" + f +
                                     "' cannot go into a Slurm task list (empty, or holds a tab or line break)");
        line += (line.empty() ? "" : "\t") + f;
    }
    return line + "\n";
}

// True while the job is queued or running. squeue prints nothing for a job that has ended;
// once the controller has purged it, squeue fails with "Invalid job id".
bool jobQueued(const std::string& jobId) {
    const ProcessResult q = capture({"squeue", "--noheader", "--jobs", jobId, "--format=%i %T"});
    checkStarted(q, "squeue");
    if (q.exitCode != 0 && q.output.find("Invalid job id") == std::string::npos)
        throw std::runtime_error("squeue failed for job " + jobId + ": " + q.output);
    return q.exitCode == 0 && q.output.find_first_not_of(" \n") != std::string::npos;
}

// Cancels the job and waits (a minute at most) for its tasks to end: each run removes its
// partial output on the SIGTERM Slurm sends, as the local backend waits for its runs to do.
void cancelJob(const std::string& jobId) {
    capture({"scancel", jobId});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    try {
        while (std::chrono::steady_clock::now() < deadline && jobQueued(jobId))
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } catch (const std::runtime_error&) {
        // squeue failing now changes nothing: the job is cancelled, the wait was only for tidiness.
    }
}

// Waits until the job is no longer queued or running; cancels it when interrupted.
void waitForJob(const std::string& jobId, double pollSeconds, Progress& progress, const std::vector<RunTask>& tasks) {
    while (true) {
        if (interruptRequested()) {
            cancelJob(jobId);
            throw Interrupted();
        }
        const bool queued = jobQueued(jobId);
        size_t done = 0;
        for (const RunTask& t : tasks) done += fs::exists(exitFileOf(t)) ? 1 : 0;
        progress.update(done, "slurm job " + jobId);
        if (!queued) return;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(pollSeconds);
        while (std::chrono::steady_clock::now() < deadline && !interruptRequested())
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

SlurmBackend::SlurmBackend(fs::path alprsim, fs::path jobDir, SlurmOptions options)
    : alprsim_(std::move(alprsim)), jobDir_(std::move(jobDir)), options_(std::move(options)) {}

std::string SlurmBackend::jobScript(const std::vector<RunTask>& tasks) const {
    std::string array = "0-" + std::to_string(tasks.size() - 1);
    if (options_.maxRunning > 0) array += "%" + std::to_string(options_.maxRunning);
    std::string s = "#!/bin/bash\n";
    s += "# alprsim " + options_.label + ": one array task per run; written by alprsim's Slurm backend.\n";
    s += "# Arguments (given to sbatch, so that no path is quoted into this script): the task list\n";
    s += "# (id, scenario, out folder, log, extra arguments: one run a line, tab-separated) and the\n";
    s += "# alprsim binary.\n";
    s += "#SBATCH --job-name=alprsim-" + options_.label + "\n";
    s += "#SBATCH --array=" + array + "\n";
    s += "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n";
    s += "#SBATCH --output=" + (jobDir_ / "slurm-%A_%a.out").string() + "\n";
    s += "set -u\n";
    s += "line=\"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$1\")\"\n";
    s += "IFS=$'\\t' read -r -a task <<< \"$line\"\n";
    s += "log=\"${task[3]}\"\n";
    s += "\"$2\" run \"${task[1]}\" --out \"${task[2]}\" --force --threads \"${SLURM_CPUS_PER_TASK:-1}\" \"${task[@]:4}\" "
         "> \"$log\" 2>&1\n";
    s += "code=$?\n";
    s += "echo \"$code\" > \"$log.exit\"\n";
    s += "exit \"$code\"\n";
    return s;
}

std::vector<RunOutcome> SlurmBackend::execute(const std::vector<RunTask>& tasks) {
    std::vector<RunOutcome> outcomes;
    if (tasks.empty()) return outcomes;
    fs::create_directories(jobDir_);
    std::string list;
    for (const RunTask& t : tasks) {
        list += taskLine(t);
        fs::remove(exitFileOf(t));
    }
    writeFileAtomically(jobDir_ / "tasks.tsv", list);
    const fs::path script = jobDir_ / "job.sh";
    writeFileAtomically(script, jobScript(tasks));

    std::vector<std::string> submit{"sbatch", "--parsable"};
    submit.insert(submit.end(), options_.sbatchArgs.begin(), options_.sbatchArgs.end());
    submit.insert(submit.end(), {script.string(), (jobDir_ / "tasks.tsv").string(), alprsim_.string()});
    const ProcessResult submitted = capture(submit);
    checkStarted(submitted, "sbatch");
    if (submitted.exitCode != 0)
        throw std::runtime_error("sbatch failed (exit " + std::to_string(submitted.exitCode) + "): " + submitted.output);
    // --parsable prints "jobid" or "jobid;cluster"
    const std::string jobId = submitted.output.substr(0, submitted.output.find_first_of(";\n"));
    std::printf("Submitted Slurm array job %s (%zu tasks): %s\n", jobId.c_str(), tasks.size(), script.c_str());
    std::fflush(stdout);

    Progress progress(options_.label, tasks.size());
    waitForJob(jobId, options_.pollSeconds, progress, tasks);
    progress.finish();

    for (const RunTask& t : tasks) {
        RunOutcome o{t.id, fs::exists(t.outDir / t.completionFile), std::nullopt, t.log};
        std::ifstream exitFile(exitFileOf(t));
        int code;
        if (exitFile >> code) o.exitCode = code;
        outcomes.push_back(o);
    }
    return outcomes;
}

}  // namespace alprsim
