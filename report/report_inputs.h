#pragma once
// What a report is made from: run directories written by `alprsim run` (results.json beside
// roads.json, cameras.geojson, trips.csv) and sweep directories (runs/<id>/, each a run
// directory). A sweep's unfinished runs are listed, not guessed at.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace alprsim::report {

namespace fs = std::filesystem;

struct ReportRun {
    std::string id;   // unique within the report: the directory name, "sweep/run" for sweeps
    fs::path dir;
    nlohmann::json results;  // results.json as written
};

struct ReportInputs {
    std::vector<ReportRun> runs;       // in the order given; a sweep's runs sorted by id
    std::vector<std::string> notes;    // what was found but could not be used, in plain words
};

// Throws InputError naming the directory when it is neither a run nor a sweep directory, and
// naming results.json when that cannot be read or is not a JSON object.
ReportInputs loadReportInputs(const std::vector<fs::path>& dirs);

// results.json of one run directory, parsed; throws InputError naming the file.
nlohmann::json loadResultsFile(const fs::path& runDir);

}  // namespace alprsim::report
