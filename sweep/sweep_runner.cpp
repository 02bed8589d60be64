#include "sweep/sweep_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "scenarios/scenario.h"
#include "sweep/summary.h"
#include "run_folder/run_folder.h"

namespace alprsim {

namespace {

// An exclusive lock on DIR/.sweep.lock for the life of the object; the kernel drops it when
// the process dies, so a killed sweep never leaves DIR locked.
class DirectoryLock {
public:
    explicit DirectoryLock(const fs::path& dir) {
        const fs::path file = dir / ".sweep.lock";
        fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw InputError(dir.string(), "", "a writable sweep directory");
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0)
            throw InputError(dir.string(), "", "a sweep directory no other running sweep is using");
    }
    ~DirectoryLock() { ::close(fd_); }
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

private:
    int fd_ = -1;
};

// "<id>.partial-<pid>" and "<id>.old-<pid>" are what a run leaves when it is killed; remove
// them unless their process still runs (a child orphaned by a killed sweep may still commit).
void removeStaleRunLeftovers(const fs::path& runsDir) {
    for (const auto& entry : fs::directory_iterator(runsDir)) {
        const std::string name = entry.path().filename().string();
        size_t mark = name.rfind(".partial-");
        if (mark == std::string::npos) mark = name.rfind(".old-");
        if (mark == std::string::npos) continue;
        const std::string pidText = name.substr(name.find('-', mark) + 1);
        const pid_t pid = static_cast<pid_t>(std::atol(pidText.c_str()));
        if (pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM)) continue;
        fs::remove_all(entry.path());
    }
}

std::string valueText(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

nlohmann::json sweepDocument(const SweepSpec& spec, const SweepPlan& plan) {
    nlohmann::json runs = nlohmann::json::array();
    for (const PlannedRun& r : plan.runs) {
        nlohmann::json values = nlohmann::json::object();
        for (size_t i = 0; i < plan.parameters.size(); ++i) values[plan.parameters[i]] = r.values[i];
        runs.push_back({{"id", r.id}, {"point", r.point}, {"seed", r.seed}, {"parameters", values}});
    }
    return {{"sweep", nlohmann::json::parse(readTextFile(spec.file))},
            {"sweep_file", spec.file.string()},
            {"base_scenario", spec.baseScenario.string()},
            {"parameters", plan.parameters},
            {"runs", runs}};
}

// Writes the run's scenario (unchanged content is left alone) and loads it as `alprsim run`
// will, so a bad parameter value stops the sweep before anything runs.
void writeRunScenario(const SweepSpec& spec, const PlannedRun& run, const fs::path& file) {
    const std::string text = run.scenario.dump(2) + "\n";
    std::error_code ec;
    if (!fs::exists(file, ec) || readTextFile(file) != text) writeFileAtomically(file, text);
    try {
        loadScenario(file);
    } catch (const InputError& e) {
        throw InputError(e.file(), e.where(), e.expected() + " (run " + run.id + " of sweep " + spec.file.string() + ")");
    }
}

// Exit codes an earlier invocation wrote into runs.csv, by run id: a run it finished is skipped
// now, and keeps the code it ended with.
std::map<std::string, std::string> earlierExitCodes(const fs::path& runsCsvFile) {
    std::map<std::string, std::string> codes;
    std::error_code ec;
    if (!fs::is_regular_file(runsCsvFile, ec)) return codes;
    std::istringstream in(readTextFile(runsCsvFile));
    if (in.str().empty()) return codes;
    try {  // an earlier file cut short (or not ours) keeps the codes read before the break
        CsvReader csv(in, runsCsvFile.string());
        const auto id = csv.optionalColumn("id"), code = csv.optionalColumn("exit_code");
        if (!id || !code) return codes;
        while (csv.next())
            if (!csv.row()[*code].empty()) codes[csv.row()[*id]] = csv.row()[*code];
    } catch (const InputError&) {}
    return codes;
}

std::string runsCsv(const SweepPlan& plan, const fs::path& outDir, const std::map<std::string, nlohmann::json>& finished,
                    const std::vector<RunOutcome>& outcomes, const std::map<std::string, std::string>& earlierCodes) {
    std::vector<std::string> header{"id", "point", "seed"};
    header.insert(header.end(), plan.parameters.begin(), plan.parameters.end());
    for (const char* c : {"status", "exit_code", "log"}) header.push_back(c);
    std::string csv = csvRow(header);
    std::map<std::string, const RunOutcome*> ran;  // executed by this invocation
    for (const RunOutcome& o : outcomes) ran[o.id] = &o;
    for (const PlannedRun& r : plan.runs) {
        std::vector<std::string> row{r.id, std::to_string(r.point), std::to_string(r.seed)};
        for (const nlohmann::json& v : r.values) row.push_back(valueText(v));
        const auto o = ran.find(r.id);
        const bool isFinished = finished.count(r.id) != 0;
        row.push_back(isFinished ? "finished" : o != ran.end() ? "failed" : "not-run");
        std::string code;
        if (o != ran.end() && o->second->exitCode) {
            code = std::to_string(*o->second->exitCode);
        } else if (o == ran.end() && isFinished) {
            const auto earlier = earlierCodes.find(r.id);
            if (earlier != earlierCodes.end()) code = earlier->second;
        }
        row.push_back(code);
        row.push_back((outDir / "logs" / (r.id + ".log")).string());
        csv += csvRow(row);
    }
    return csv;
}

// A folder holds one sweep: another sweep's runs would mix into its summary and report. The same
// sweep edited (more seeds, other values; the same name) may go on in its folder: its run ids
// carry a hash of each run's scenario, so no old run is taken for a new one.
void refuseOtherSweep(const SweepSpec& spec, const fs::path& outDir) {
    const fs::path saved = outDir / "sweep.json";
    std::error_code ec;
    if (!fs::is_regular_file(saved, ec)) return;
    const nlohmann::json doc = nlohmann::json::parse(readTextFile(saved), nullptr, false);
    const nlohmann::json::json_pointer name("/sweep/name");
    if (doc.is_discarded() || !doc.is_object() || !doc.contains(name) || !doc.at(name).is_string())
        throw InputError(saved.string(), "/sweep/name",
                         "the name of the sweep this folder holds (sweep.json as alprsim sweep writes it); give this sweep a new "
                         "--out folder");
    const std::string other = doc.at(name).get<std::string>();
    if (other == spec.name) return;
    const std::string from =
        doc.contains("sweep_file") && doc["sweep_file"].is_string() ? " (from " + doc["sweep_file"].get<std::string>() + ")" : "";
    throw InputError(outDir.string(), "",
                     "a folder for sweep \"" + spec.name + "\"; it holds the runs of sweep \"" + other + "\"" + from +
                         ", which would mix into the summary. Give this sweep its own --out folder");
}

}  // namespace

std::optional<nlohmann::json> readFinishedRun(const fs::path& runDir, std::string& problem) {
    const fs::path file = RunFolder(runDir).results();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    try {
        nlohmann::json results = nlohmann::json::parse(readTextFile(file));
        if (results.is_object()) return results;
        problem = file.string() + " is damaged (not a JSON object)";
    } catch (const nlohmann::json::exception& e) {
        problem = file.string() + " is damaged (not valid JSON: " + e.what() + ")";
    } catch (const InputError& e) {
        problem = std::string(e.what()) + " (damaged)";
    }
    return std::nullopt;
}

std::map<std::string, nlohmann::json> finishedResults(const SweepPlan& plan, const fs::path& outDir) {
    std::map<std::string, nlohmann::json> results;
    for (const PlannedRun& r : plan.runs) {
        std::string damaged;  // a damaged run counts as not finished; runSweep redoes it
        if (auto finished = readFinishedRun(outDir / "runs" / r.id, damaged)) results[r.id] = std::move(*finished);
    }
    return results;
}

SweepReport runSweep(const SweepSpec& spec, const fs::path& outDirGiven, RunBackend& backend) {
    const fs::path outDir = fs::absolute(outDirGiven).lexically_normal();
    const SweepPlan plan = planSweep(spec);
    for (const char* sub : {"scenarios", "runs", "logs"}) fs::create_directories(outDir / sub);
    const DirectoryLock lock(outDir);
    refuseOtherSweep(spec, outDir);
    removeStaleRunLeftovers(outDir / "runs");

    for (const PlannedRun& r : plan.runs) writeRunScenario(spec, r, outDir / "scenarios" / (r.id + ".json"));
    writeFileAtomically(outDir / "sweep.json", sweepDocument(spec, plan).dump(2) + "\n");

    SweepReport report;
    report.runs = plan.runs.size();
    std::vector<RunTask> pending;
    for (const PlannedRun& r : plan.runs) {
        const fs::path runDir = outDir / "runs" / r.id;
        std::string damaged;
        if (readFinishedRun(runDir, damaged)) {
            ++report.alreadyDone;
            continue;
        }
        if (!damaged.empty())
            std::fprintf(stderr, "alprsim: sweep: run %s: %s; doing the run again\n", r.id.c_str(), damaged.c_str());
        // An unfinished run's folder is the sweep's own (DIR/runs/<id>, damaged or left by an
        // older writer): cleared here, since `run --force` replaces only a folder it recognises.
        fs::remove_all(runDir);
        RunTask task;
        task.id = r.id;
        task.scenario = outDir / "scenarios" / (r.id + ".json");
        task.outDir = runDir;
        task.log = outDir / "logs" / (r.id + ".log");
        pending.push_back(std::move(task));
    }
    report.executed = pending.size();
    const std::map<std::string, std::string> earlierCodes = earlierExitCodes(outDir / "runs.csv");
    const std::vector<RunOutcome> outcomes = backend.execute(pending);
    for (const RunOutcome& o : outcomes)
        if (!o.finished) report.failures.push_back(o);

    const auto finished = finishedResults(plan, outDir);
    writeFileAtomically(outDir / "runs.csv", runsCsv(plan, outDir, finished, outcomes, earlierCodes));
    report.summary = outDir / "summary.csv";
    writeFileAtomically(report.summary, summaryCsv(plan, finished));
    return report;
}

}  // namespace alprsim
