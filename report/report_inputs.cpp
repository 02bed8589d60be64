#include "report/report_inputs.h"

#include <algorithm>
#include <set>

#include "core/error.h"
#include "core/files.h"

namespace alprsim::report {

namespace {

bool isRunDir(const fs::path& dir) { return fs::is_regular_file(dir / "results.json"); }
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

void addSweep(const fs::path& sweep, ReportInputs& inputs, std::set<std::string>& taken) {
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(sweep / "runs"))
        if (entry.is_directory()) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());  // directory order is not stable across machines
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
}

}  // namespace

nlohmann::json loadResultsFile(const fs::path& runDir) {
    const fs::path file = runDir / "results.json";
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
            throw InputError(dir.string(), "", "a run directory (with results.json, from alprsim run) or a sweep directory (with runs/)");
    }
    return inputs;
}

}  // namespace alprsim::report
