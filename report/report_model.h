#pragma once
// Everything a report shows, decided once: the runs' facts, which charts can be drawn from them
// (and, for those that cannot, why), the map of the first run, and notes on what is missing.
// The HTML page, the JSON bundle and the CSV are three renderings of this one model.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "report/people_facts.h"
#include "report/report_inputs.h"
#include "report/run_facts.h"

namespace alprsim::report {

struct ChartPlan {
    std::string id;       // stable, used as the element id ("chart-coverage")
    std::string title;    // a question in plain words
    std::string caption;  // what is drawn, how to read it
    bool available = false;
    std::string missing;  // why it is not drawn, when not available
    nlohmann::json spec;  // Vega-Lite, with its data inline; null when not available
};

struct ReportModel {
    std::vector<RunFacts> runs;
    std::vector<ChartPlan> charts;            // the runs' charts, then a curve per parameter of each sweep
    std::vector<PeopleFacts> people;          // homes, workplaces and unicity, per run that measured them
    std::vector<std::string> sweepSentences;  // the sweeps' curves in plain words
    std::vector<std::string> notes;
    nlohmann::json map;   // roads, camera sets and an example trip; null when no run has roads.json
    std::string mapNote;  // what the map shows, or why there is none
};

ReportModel buildReportModel(const ReportInputs& inputs);

// A Vega-Lite axis of shares (`field`), drawn from 0% to 100%.
nlohmann::json percentAxis(const std::string& title, const std::string& field = "share");

// For researchers: the facts and chart data without the map geometry (they have roads.json).
nlohmann::json reportBundle(const ReportModel& model);
// One row per run, metric, view and retention period (tidy, for plotting tools).
std::string reportCsv(const ReportModel& model);

}  // namespace alprsim::report
