#pragma once
// The facts a report states about one run, taken from its results.json. Every field is
// optional in the sense that older or partial runs lack it: what is absent stays absent and the
// report says so; nothing is filled in.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/report_inputs.h"

namespace alprsim::report {

// One measured share of trips (or vehicles) for one retention period and one view of the reads.
struct RetentionShare {
    std::string metric;       // as named in results.json, e.g. "route_reconstructed"
    std::string view;         // "pooled" (all agencies' reads), "local:<agency>" (one agency alone), "" if not stated
    double retentionSeconds;  // +infinity: kept forever
    double share;             // 0..1
};

// Hot-list results: what the town gets for the cameras.
struct HotListFacts {
    double detectedShare = 0;               // wanted vehicles found at least once
    std::optional<double> falseAlertShare;  // alerts that were misreads
    std::optional<double> medianMinutesToFind;
};

struct RunFacts {
    std::string id;     // unique run id (directory name)
    std::string label;  // what the page calls the run: scenario name, made unique with the id
    std::string scenarioName, description;
    std::optional<uint64_t> seed;
    std::optional<uint64_t> cameras;
    std::string placement, agency;
    std::optional<uint64_t> vehicles, tripsDeparted;
    std::optional<double> shareObserved, shareLinked;
    std::optional<double> simulatedBegin, simulatedEnd;  // seconds since midnight of day 0
    std::string simulationModel, demandModel, networkName;
    std::optional<double> departWindowHours, networkKm;
    std::optional<uint64_t> days;                    // simulated days, as the run states them
    std::vector<RetentionShare> retention;           // empty: the run holds no per-retention analysis
    std::string tripLevelsView;                      // the view the run's trip levels come from ("" if not stated)
    std::map<std::string, std::string> viewSources;  // view -> where its reads came from, in words
    nlohmann::json definitions;                      // the analysis's thresholds (null when absent)
    std::optional<HotListFacts> hotList;
    // The field-record section (report/field_record_section.h): as results.json states them.
    std::string recognitionMode;                         // "full", "calibrated", "perfect"; "" if not stated
    nlohmann::json fieldRecord;                          // results.json "field_record" (null when absent)
    std::map<std::string, uint64_t> falseAlertsByCause;  // empty when the run does not state them
    std::optional<uint64_t> alerts;

    // Simulated days as stated, else whole days touched from begin to end; 0 when unknown.
    int simulatedDays() const;
    // The view the report leads with: the one the run takes its trip levels from (with agency
    // stores: every agency's reads together), else "pooled", else the first.
    std::string mainView() const;
};

// Throws InputError naming results.json and the JSON path when a field has the wrong type.
RunFacts extractRunFacts(const ReportRun& run);

// Facts for all runs, labels made unique (scenario name, or "name (id)" when names repeat).
std::vector<RunFacts> extractAllFacts(const std::vector<ReportRun>& runs);

// Plain words for the metric names results.json uses.
std::string metricWords(const std::string& metric);
// Plain words for a placement strategy ("on the busiest roads").
std::string placementWords(const std::string& placement);

}  // namespace alprsim::report
