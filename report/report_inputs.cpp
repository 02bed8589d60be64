#include "report/report_inputs.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "core/csv.h"

#include "core/error.h"
#include "core/files.h"
#include "run_folder/run_folder.h"

namespace alprsim::report {

namespace {

bool isRunDir(const fs::path& dir) { return fs::is_regular_file(RunFolder(dir).results()); }
bool isSweepDir(const fs::path& dir) { return fs::is_directory(dir / "runs"); }

// The directory's own name, also for "out/run/" and ".".
std::string dirName(const fs::path& dir) {
    const fs::path name = fs::weakly_canonical(dir).filename();
    return name.empty() ? dir.string() : name.string();
}

// Ids are how researchers find a run again; keep them unique without losing the name.
std::string uniqueId(std::string id, std::set<std::string>& taken) {
    const std::string base = id;
    for (int n = 2; taken.count(id) != 0; ++n) id = base + "#" + std::to_string(n);
    taken.insert(id);
    return id;
}

// The run ids sweep.json names (the sweep that last ran into the folder), or nothing when the
// folder has no sweep.json (then every run folder counts).
std::optional<std::set<std::string>> sweepRunIds(const fs::path& sweep, std::string* name) {
    const fs::path file = sweep / "sweep.json";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    const nlohmann::json doc = nlohmann::json::parse(readTextFile(file), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("runs") || !doc["runs"].is_array())
        throw InputError(file.string(), "/runs", "the list of the sweep's runs (sweep.json as alprsim sweep writes it)");
    std::set<std::string> ids;
    for (const nlohmann::json& run : doc["runs"])
        if (run.is_object() && run.contains("id") && run["id"].is_string()) ids.insert(run["id"].get<std::string>());
    const nlohmann::json* sweepName = doc.contains("/sweep/name"_json_pointer) ? &doc.at("/sweep/name"_json_pointer) : nullptr;
    if (sweepName && sweepName->is_string()) *name = sweepName->get<std::string>();
    return ids;
}

// summary.csv as sweep/summary.cpp writes it: point, one column per parameter, metric, runs,
// mean, stddev, ci95_low, ci95_high.
void addSweepSummary(const fs::path& sweep, const std::string& name, ReportInputs& inputs) {
    const fs::path file = sweep / "summary.csv";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        // A folder alprsim sweep wrote (it has sweep.json) but did not finish summarising.
        if (fs::exists(sweep / "sweep.json", ec))
            inputs.notes.push_back("Sweep " + name +
                                   ": no summary.csv (the sweep has not finished), so its curves are not drawn.");
        return;
    }
    std::istringstream in(readTextFile(file));
    CsvReader csv(in, file.string());
    const std::vector<std::string>& header = csv.header();
    const std::vector<std::string> tail = {"metric", "runs", "mean", "stddev", "ci95_low", "ci95_high"};
    if (header.size() < 1 + tail.size() || header.front() != "point" || !std::equal(tail.begin(), tail.end(), header.end() - 6))
        throw InputError(file.string(), "line 1", "the header point,<parameters>,metric,runs,mean,stddev,ci95_low,ci95_high");
    SweepSummary summary{name, sweep, std::vector<std::string>(header.begin() + 1, header.end() - 6), {}};
    const size_t p = summary.parameters.size();
    while (csv.next()) {
        const std::vector<std::string>& f = csv.row();
        try {
            SweepSummaryRow row;
            row.point = std::stoul(f[0]);
            row.values.assign(f.begin() + 1, f.begin() + 1 + p);
            row.metric = f[1 + p];
            row.runs = std::stoul(f[2 + p]);
            row.mean = std::stod(f[3 + p]);
            row.low = csv.number(5 + p);
            row.high = csv.number(6 + p);
            summary.rows.push_back(std::move(row));
        } catch (const std::exception&) {
            throw InputError(file.string(), "line " + std::to_string(csv.rowNumber()),
                             "a point, its parameter values, a metric and numbers");
        }
    }
    inputs.sweeps.push_back(std::move(summary));
}

void addSweep(const fs::path& sweep, ReportInputs& inputs, std::set<std::string>& taken) {
    std::string name = dirName(sweep);
    const std::optional<std::set<std::string>> named = sweepRunIds(sweep, &name);
    std::vector<fs::path> entries;
    size_t foreign = 0;  // run folders of an earlier, different sweep into the same folder
    for (const auto& entry : fs::directory_iterator(sweep / "runs")) {
        if (!entry.is_directory()) continue;
        if (named && !named->count(entry.path().filename().string())) {
            ++foreign;
            continue;
        }
        entries.push_back(entry.path());
    }
    std::sort(entries.begin(), entries.end());  // directory order is not stable across machines
    if (foreign != 0)
        inputs.notes.push_back("Sweep " + dirName(sweep) + ": " + std::to_string(foreign) +
                               " run folder(s) are not runs of the sweep its sweep.json describes (left from an earlier sweep "
                               "into the same folder) and are left out.");
    size_t unfinished = 0;
    for (const fs::path& run : entries) {
        if (!isRunDir(run)) {
            ++unfinished;
            continue;
        }
        inputs.runs.push_back({uniqueId(dirName(sweep) + "/" + run.filename().string(), taken), run, loadResultsFile(run)});
    }
    if (unfinished != 0)
        inputs.notes.push_back("Sweep " + dirName(sweep) + ": " + std::to_string(unfinished) +
                               " run folder(s) have no results.json (unfinished or failed) and are left out.");
    if (entries.size() == unfinished)
        throw InputError((sweep / "runs").string(), "", "at least one finished run (a folder with results.json)");
    addSweepSummary(sweep, name, inputs);
}

}  // namespace

nlohmann::json loadResultsFile(const fs::path& runDir) {
    const fs::path file = RunFolder(runDir).results();
    const std::string text = readTextFile(file);
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw InputError(file.string(), "", "valid JSON (results.json as written by alprsim run)");
    if (!doc.is_object()) throw InputError(file.string(), "", "a JSON object");
    return doc;
}

ReportInputs loadReportInputs(const std::vector<fs::path>& dirs) {
    if (dirs.empty()) throw InputError("(command line)", "", "at least one run or sweep directory");
    ReportInputs inputs;
    std::set<std::string> taken;
    for (const fs::path& dir : dirs) {
        if (isRunDir(dir))
            inputs.runs.push_back({uniqueId(dirName(dir), taken), dir, loadResultsFile(dir)});
        else if (isSweepDir(dir))
            addSweep(dir, inputs, taken);
        else
            throw InputError(dir.string(), "",
                             "a run directory (with results.json, from alprsim run) or a sweep directory (with runs/)");
    }
    return inputs;
}

}  // namespace alprsim::report
