#include "report/report_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/csv.h"
#include "report/html_text.h"
#include "report/report_map.h"
#include "report/sweep_charts.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

const char* const kSeenOnce = "Seen by at least one camera";
const char* const kSeenTwice = "Seen by two or more cameras";

// The metric the retention and camera charts show: the strongest claim the runs support.
std::string preferredRetentionMetric(const std::vector<RunFacts>& runs) {
    std::set<std::string> present;
    for (const RunFacts& r : runs)
        for (const RetentionShare& s : r.retention) present.insert(s.metric);
    for (const char* preferred : {"route_reconstructed", "endpoints_exposed", "linked", "observed"})
        if (present.count(preferred)) return preferred;
    return present.empty() ? "" : *present.begin();
}

// Sort key for retention periods that JSON can hold (forever is not a JSON number).
double retentionOrder(double seconds) { return std::isfinite(seconds) ? seconds : 1e15; }

json labelsInOrder(const std::vector<RunFacts>& runs) {
    json labels = json::array();
    for (const RunFacts& r : runs) labels.push_back(r.label);
    return labels;
}

ChartPlan coverageChart(const std::vector<RunFacts>& runs) {
    ChartPlan chart{"coverage",
                    "How many trips did the cameras see?",
                    "Share of simulated trips read by at least one camera, and by two or more (enough to tell direction and time "
                    "of travel), per scenario.",
                    false,
                    "",
                    nullptr};
    json values = json::array();
    for (const RunFacts& r : runs) {
        if (r.shareObserved) values.push_back({{"run", r.label}, {"measure", kSeenOnce}, {"share", *r.shareObserved}});
        if (r.shareLinked) values.push_back({{"run", r.label}, {"measure", kSeenTwice}, {"share", *r.shareLinked}});
    }
    if (values.empty()) {
        chart.missing = "Not available: no run holds trip coverage (metrics.trip_coverage).";
        return chart;
    }
    const json measures = {kSeenOnce, kSeenTwice};
    const json bars = {{"mark", {{"type", "bar"}}}};
    const json labels = {{"mark", {{"type", "text"}, {"align", "left"}, {"dx", 3}}},
                         {"encoding", {{"text", {{"field", "share"}, {"type", "quantitative"}, {"format", ".1%"}}}}}};
    chart.available = true;
    chart.spec = {{"width", 520},
                  {"data", {{"values", values}}},
                  {"encoding",
                   {{"y", {{"field", "run"}, {"type", "nominal"}, {"title", nullptr}, {"sort", labelsInOrder(runs)}}},
                    {"yOffset", {{"field", "measure"}, {"sort", measures}}},
                    {"x", percentAxis("Share of trips")},
                    {"color",
                     {{"field", "measure"},
                      {"type", "nominal"},
                      {"sort", measures},
                      {"title", nullptr},
                      {"legend", {{"orient", "bottom"}}}}}}},
                  {"layer", json::array({bars, labels})}};
    return chart;
}

ChartPlan retentionChart(const std::vector<RunFacts>& runs) {
    ChartPlan chart{
        "retention",
        "How long reads are kept, and how many trips they give away",
        "Share of trips an agency can still piece together from the reads it holds when it looks at the end of the run, "
        "for each retention period (reads pooled across agencies where the run has that view). Line style: what is "
        "learnt about the trip.",
        false,
        "",
        nullptr};
    const std::vector<std::string> shown = {"linked", "endpoints_exposed", "route_reconstructed"};
    json values = json::array();
    json measures = json::array();
    for (const std::string& m : shown) measures.push_back(metricWords(m));
    std::map<double, std::string> periods;
    for (const RunFacts& r : runs) {
        const std::string view = r.mainView();
        for (const RetentionShare& s : r.retention) {
            if (s.view != view || std::find(shown.begin(), shown.end(), s.metric) == shown.end()) continue;
            const std::string period = durationText(s.retentionSeconds);
            periods[retentionOrder(s.retentionSeconds)] = period;
            values.push_back({{"run", r.label}, {"measure", metricWords(s.metric)}, {"retention", period}, {"share", s.share}});
        }
    }
    if (values.empty()) {
        chart.missing =
            "Not available for these runs: their results.json holds no results per retention period "
            "(the reconstructibility analysis did not run for them).";
        return chart;
    }
    if (periods.size() < 2) {
        chart.missing = "Not available: these runs hold results for one retention period only (" + periods.begin()->second +
                        "); retention was not varied.";
        return chart;
    }
    json order = json::array();
    for (const auto& [key, period] : periods) order.push_back(period);
    chart.available = true;
    chart.spec = {{"width", 520},
                  {"height", 260},
                  {"data", {{"values", values}}},
                  {"mark", {{"type", "line"}, {"point", true}}},
                  {"encoding",
                   {{"x",
                     {{"field", "retention"},
                      {"type", "ordinal"},
                      {"sort", order},
                      {"title", "Reads kept for"},
                      {"axis", {{"labelAngle", 0}}}}},
                    {"y", percentAxis("Share of trips")},
                    {"color",
                     {{"field", "run"},
                      {"type", "nominal"},
                      {"title", "Scenario"},
                      {"sort", labelsInOrder(runs)},
                      {"legend", {{"orient", "bottom"}, {"direction", "vertical"}}}}},
                    {"strokeDash",
                     {{"field", "measure"},
                      {"type", "nominal"},
                      {"title", "Trips"},
                      {"sort", measures},
                      {"legend", {{"orient", "bottom"}, {"direction", "vertical"}}}}}}}};
    return chart;
}

// The longest retention's share of `metric`, pooled view preferred: the most an adversary gets.
std::optional<double> longestRetentionShare(const RunFacts& r, const std::string& metric) {
    std::optional<double> best;
    double bestOrder = -1;
    for (const RetentionShare& s : r.retention) {
        if (s.metric != metric) continue;
        if (s.view != r.mainView()) continue;
        const double order = retentionOrder(s.retentionSeconds);
        if (order > bestOrder) bestOrder = order, best = s.share;
    }
    return best;
}

ChartPlan camerasChart(const std::vector<RunFacts>& runs) {
    ChartPlan chart{"cameras",
                    "More cameras, more trips seen?",
                    "Share of trips against the number of cameras. Where several runs have the same number of cameras "
                    "(for example different seeds), the point is their mean.",
                    false,
                    "",
                    nullptr};
    const std::string metric = preferredRetentionMetric(runs);
    std::set<uint64_t> counts;
    json values = json::array();
    for (const RunFacts& r : runs) {
        if (!r.cameras) continue;
        auto add = [&](const std::string& measure, std::optional<double> share) {
            if (!share) return;
            values.push_back({{"cameras", *r.cameras}, {"measure", measure}, {"share", *share}, {"run", r.label}});
            counts.insert(*r.cameras);
        };
        add(kSeenOnce, r.shareObserved);
        add(kSeenTwice, r.shareLinked);
        if (!metric.empty()) add("Longest retention: " + metricWords(metric), longestRetentionShare(r, metric));
    }
    if (counts.size() < 2) {
        chart.missing = counts.empty() ? "Not available: no run states its number of cameras with trip results."
                                       : "Not available: every run given has the same number of cameras (" +
                                             std::to_string(*counts.begin()) +
                                             "). Give runs with different camera counts, for example a sweep over cameras.count.";
        return chart;
    }
    chart.available = true;
    json meanShare = percentAxis("Share of trips");
    meanShare["aggregate"] = "mean";
    chart.spec = {
        {"width", 520},
        {"height", 260},
        {"data", {{"values", values}}},
        {"mark", {{"type", "line"}, {"point", true}}},
        {"encoding",
         {{"x", {{"field", "cameras"}, {"type", "quantitative"}, {"title", "Number of cameras"}}},
          {"y", meanShare},
          {"color", {{"field", "measure"}, {"type", "nominal"}, {"title", nullptr}, {"legend", {{"orient", "bottom"}}}}}}}};
    return chart;
}

ChartPlan hotListChart(const std::vector<RunFacts>& runs) {
    ChartPlan chart{"hotlist",
                    "What the town gets for it: wanted cars found, against privacy cost",
                    "Each point is a scenario: across, the privacy cost (share of all trips seen by two or more cameras); "
                    "up, the share of hot-listed (wanted) vehicles found.",
                    false,
                    "",
                    nullptr};
    json values = json::array();
    for (const RunFacts& r : runs)
        if (r.hotList && r.shareLinked)
            values.push_back({{"run", r.label}, {"cost", *r.shareLinked}, {"detected", r.hotList->detectedShare}});
    const json points = {{"mark", {{"type", "point"}, {"filled", true}, {"size", 80}}}};
    const json labels = {{"mark", {{"type", "text"}, {"align", "left"}, {"dx", 6}}},
                         {"encoding", {{"text", {{"field", "run"}}}}}};
    if (values.empty()) {
        chart.missing =
            "Not available for these runs: they hold no hot-list results (hot_list in results.json, from a scenario with a "
            "stores section), so what the cameras "
            "achieve for public safety cannot be set against their privacy cost here.";
        return chart;
    }
    chart.available = true;
    chart.spec = {{"width", 520},
                  {"height", 260},
                  {"data", {{"values", values}}},
                  {"encoding",
                   {{"x", percentAxis("Privacy cost: share of trips seen twice or more", "cost")},
                    {"y", percentAxis("Wanted vehicles found", "detected")}}},
                  {"layer", json::array({points, labels})}};
    return chart;
}

// Runs whose cameras share the map run's roads: same network file and size.
std::vector<std::pair<const ReportRun*, const RunFacts*>> sameNetwork(const ReportInputs& inputs,
                                                                      const std::vector<RunFacts>& facts) {
    std::vector<std::pair<const ReportRun*, const RunFacts*>> same;
    const json& first = inputs.runs.front().results;
    for (size_t i = 1; i < inputs.runs.size(); ++i) {
        const json& other = inputs.runs[i].results;
        if (first.value("network", json()) == other.value("network", json()) && !first.value("network", json()).is_null())
            same.emplace_back(&inputs.runs[i], &facts[i]);
    }
    return same;
}

json optionalJson(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json optionalJson(const std::optional<uint64_t>& v) { return v ? json(*v) : json(nullptr); }

json runJson(const RunFacts& r) {
    json retention = json::array();
    for (const RetentionShare& s : r.retention)
        retention.push_back({{"metric", s.metric},
                             {"view", s.view},
                             {"retention", durationText(s.retentionSeconds)},
                             {"retention_s", std::isfinite(s.retentionSeconds) ? json(s.retentionSeconds) : json(nullptr)},
                             {"share", s.share}});
    json hotList = nullptr;
    if (r.hotList)
        hotList = {{"share_detected", r.hotList->detectedShare},
                   {"share_false_alerts", optionalJson(r.hotList->falseAlertShare)},
                   {"median_minutes_to_find", optionalJson(r.hotList->medianMinutesToFind)}};
    return {{"id", r.id},
            {"label", r.label},
            {"scenario", r.scenarioName},
            {"description", r.description},
            {"seed", optionalJson(r.seed)},
            {"cameras", optionalJson(r.cameras)},
            {"placement", r.placement},
            {"agency", r.agency},
            {"vehicles", optionalJson(r.vehicles)},
            {"trips_departed", optionalJson(r.tripsDeparted)},
            {"share_observed", optionalJson(r.shareObserved)},
            {"share_linked", optionalJson(r.shareLinked)},
            {"simulated_begin_s", optionalJson(r.simulatedBegin)},
            {"simulated_end_s", optionalJson(r.simulatedEnd)},
            {"simulated_days", r.simulatedDays()},
            {"retention", retention},
            {"hot_list", hotList}};
}

}  // namespace

json percentAxis(const std::string& title, const std::string& field) {
    return {{"field", field},
            {"type", "quantitative"},
            {"title", title},
            {"scale", {{"domain", {0, 1}}}},
            {"axis", {{"format", ".0%"}}}};
}

ReportModel buildReportModel(const ReportInputs& inputs) {
    ReportModel model;
    model.runs = extractAllFacts(inputs.runs);
    model.notes = inputs.notes;
    model.charts = {coverageChart(model.runs), retentionChart(model.runs), camerasChart(model.runs), hotListChart(model.runs)};
    for (ChartPlan& chart : sweepCharts(inputs.sweeps)) model.charts.push_back(std::move(chart));
    model.sweepSentences = sweepSentences(inputs.sweeps);
    for (size_t i = 0; i < inputs.runs.size(); ++i)
        if (auto people = extractPeopleFacts(inputs.runs[i], model.runs[i])) model.people.push_back(std::move(*people));
    MapData map = buildMapData(inputs.runs.front(), model.runs.front(), sameNetwork(inputs, model.runs));
    model.map = std::move(map.data);
    for (const std::string& note : map.notes) model.mapNote += (model.mapNote.empty() ? "" : " ") + note;
    return model;
}

json reportBundle(const ReportModel& model) {
    json runs = json::array();
    for (const RunFacts& r : model.runs) runs.push_back(runJson(r));
    json charts = json::array();
    for (const ChartPlan& c : model.charts)
        charts.push_back({{"id", c.id},
                          {"title", c.title},
                          {"caption", c.caption},
                          {"available", c.available},
                          {"missing", c.missing},
                          {"vega_lite", c.spec}});
    return {{"format", "alprsim-report"}, {"version", 1},         {"runs", runs},
            {"charts", charts},           {"notes", model.notes}, {"map_note", model.mapNote}};
}

namespace {
// Whole numbers without a decimal point; others as the shortest text that reads back as the
// same double (as results.json has them).
std::string csvNumber(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return json(v).dump();
}
}  // namespace

std::string reportCsv(const ReportModel& model) {
    std::string out = "run,scenario,seed,cameras,metric,view,retention,retention_s,value\n";
    for (const RunFacts& r : model.runs) {
        const std::string prefix = csvField(r.id) + "," + csvField(r.scenarioName) + "," +
                                   (r.seed ? std::to_string(*r.seed) : "") + "," + (r.cameras ? std::to_string(*r.cameras) : "") +
                                   ",";
        auto row = [&](const std::string& metric, const std::string& view, const std::string& retention,
                       const std::string& seconds, double value) {
            out += fmt::format("{}{},{},{},{},{}\n", prefix, csvField(metric), csvField(view), csvField(retention), seconds,
                               csvNumber(value));
        };
        if (r.tripsDeparted) row("trips_departed", "", "", "", double(*r.tripsDeparted));
        if (r.shareObserved) row("share_observed", "", "", "", *r.shareObserved);
        if (r.shareLinked) row("share_linked", "", "", "", *r.shareLinked);
        for (const RetentionShare& s : r.retention)
            row("share_" + s.metric, s.view, durationText(s.retentionSeconds),
                std::isfinite(s.retentionSeconds) ? csvNumber(s.retentionSeconds) : "inf", s.share);
        if (r.hotList) {
            row("hot_list_share_detected", "", "", "", r.hotList->detectedShare);
            if (r.hotList->falseAlertShare) row("hot_list_share_false_alerts", "", "", "", *r.hotList->falseAlertShare);
        }
    }
    return out;
}

}  // namespace alprsim::report
