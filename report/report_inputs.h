#pragma once
// What a report is made from: run directories written by `alprsim run` (results.json beside
// roads.json, cameras.geojson, trips.csv) and sweep directories (runs/<id>/, each a run
// directory). A sweep's unfinished runs are listed, not guessed at; only the runs its sweep.json
// names are counted (a folder that once held another sweep keeps that sweep's runs apart).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace alprsim::report {

namespace fs = std::filesystem;

struct ReportRun {
    std::string id;  // unique within the report: the directory name, "sweep/run" for sweeps
    fs::path dir;
    nlohmann::json results;  // results.json as written
};

// A sweep's summary.csv (sweep/summary.h): per point and metric, the mean over seeds and its
// 95% interval; what the report draws as a curve per varied parameter.
struct SweepSummaryRow {
    size_t point = 0;
    std::vector<std::string> values;  // one per parameter, as summary.csv writes them
    std::string metric;
    size_t runs = 0;
    double mean = 0;
    std::optional<double> low, high;  // empty with fewer than two runs
};

struct SweepSummary {
    std::string name;  // the sweep's name (sweep.json), else the folder's
    fs::path dir;
    std::vector<std::string> parameters;  // JSON pointers, in summary.csv's column order
    std::vector<SweepSummaryRow> rows;
};

struct ReportInputs {
    std::vector<ReportRun> runs;       // in the order given; a sweep's runs sorted by id
    std::vector<SweepSummary> sweeps;  // the sweeps given that hold a summary.csv, in the order given
    std::vector<std::string> notes;    // what was found but could not be used, in plain words
};

// Throws InputError naming the directory when it is neither a run nor a sweep directory, and
// naming results.json when that cannot be read or is not a JSON object.
ReportInputs loadReportInputs(const std::vector<fs::path>& dirs);

// results.json of one run directory, parsed; throws InputError naming the file.
nlohmann::json loadResultsFile(const fs::path& runDir);

}  // namespace alprsim::report
