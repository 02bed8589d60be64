#include "report/sweep_charts.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "report/html_text.h"
#include "report/run_facts.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

// The shares a curve can show, strongest claim last; each is drawn when summary.csv has it.
struct Headline {
    std::string metric;  // summary.csv's name
    std::string words;
};

const std::vector<Headline>& headlines() {
    static const std::vector<Headline> list = {
        {"metrics.trip_coverage.share_observed", "Trips seen by at least one camera"},
        {"metrics.trip_coverage.share_linked", "Trips seen by two or more cameras"},
        {"metrics.reconstructibility.views[pooled].by_retention[forever].trips.share_route_reconstructed",
         "Trips whose route the pooled reads reconstruct"},
        {"hot_list.false_alert_share", "Hot-list alerts that were false (misreads)"},
    };
    return list;
}

// A share's interval ends where a share can be: the t interval of a few seeds near 0% can
// reach below it.
double shareBound(double v) { return std::clamp(v, 0.0, 1.0); }

bool isNumber(const std::string& text) {
    if (text.empty()) return false;
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    return *end == '\0';
}

// A parameter's values in the order the sweep ran them (points in order).
std::vector<std::string> valuesInOrder(const SweepSummary& s, size_t parameter) {
    std::vector<std::string> order;
    for (const SweepSummaryRow& r : s.rows)
        if (std::find(order.begin(), order.end(), r.values[parameter]) == order.end()) order.push_back(r.values[parameter]);
    return order;
}

// The parameters whose value the given one's value fixes: those varied together with it (a
// sweep's "zip"), which need no curves of their own in its chart.
std::vector<bool> fixedBy(const SweepSummary& s, size_t parameter) {
    std::vector<bool> fixed(s.parameters.size(), true);
    for (size_t j = 0; j < s.parameters.size(); ++j) {
        std::map<std::string, std::string> seen;
        for (const SweepSummaryRow& r : s.rows) {
            const auto [it, inserted] = seen.emplace(r.values[parameter], r.values[j]);
            if (!inserted && it->second != r.values[j]) fixed[j] = false;
        }
    }
    return fixed;
}

// The other parameters' values of a row, as "placement busiest-edges, ...": what tells its
// curve from the others in a chart over one parameter.
std::string otherValues(const SweepSummary& s, const SweepSummaryRow& r, size_t parameter, const std::vector<bool>& fixed) {
    std::string text;
    for (size_t i = 0; i < s.parameters.size(); ++i) {
        if (i == parameter || fixed[i]) continue;
        text += (text.empty() ? "" : ", ") + parameterWords(s.parameters[i]) + " " + r.values[i];
    }
    return text;
}

ChartPlan sweepChart(const SweepSummary& s, size_t parameter, size_t index) {
    ChartPlan chart;
    chart.id = "sweep-" + std::to_string(index);
    const std::string what = parameterWords(s.parameters[parameter]);
    chart.title = "Sweep " + s.name + ": what changes with " + what;
    std::set<std::string> present;
    for (const SweepSummaryRow& r : s.rows) present.insert(r.metric);
    std::vector<Headline> shown;
    for (const Headline& h : headlines())
        if (present.count(h.metric)) shown.push_back(h);
    if (shown.empty()) {
        chart.missing = "Not available: the sweep's summary.csv holds none of the trip shares this chart draws.";
        return chart;
    }
    // With one parameter (or others varied together with it), a curve per share; with more, a
    // curve per combination of the others' values, of one share (the second headline: trips
    // seen twice, when or which way the car went).
    const std::vector<bool> fixed = fixedBy(s, parameter);
    const bool single = std::all_of(fixed.begin(), fixed.end(), [](bool f) { return f; });
    if (!single) shown = {shown.size() > 1 ? shown[1] : shown[0]};
    const std::vector<std::string> order = valuesInOrder(s, parameter);
    const bool numeric = std::all_of(order.begin(), order.end(), isNumber);
    json values = json::array();
    size_t maxRuns = 0;
    for (const SweepSummaryRow& r : s.rows) {
        const auto h = std::find_if(shown.begin(), shown.end(), [&](const Headline& x) { return x.metric == r.metric; });
        if (h == shown.end()) continue;
        const std::string series = single ? h->words : otherValues(s, r, parameter, fixed);
        json x = numeric ? json(std::strtod(r.values[parameter].c_str(), nullptr)) : json(r.values[parameter]);
        values.push_back({{"x", x},
                          {"series", series},
                          {"mean", r.mean},
                          {"runs", r.runs},
                          {"low", shareBound(r.low.value_or(r.mean))},
                          {"high", shareBound(r.high.value_or(r.mean))}});
        maxRuns = std::max(maxRuns, r.runs);
    }
    chart.available = true;
    chart.caption = "Each line is the mean over the seeds run for each value (" + std::to_string(maxRuns) +
                    " at most); the shaded band around it is the 95% confidence interval of that mean (Student t), "
                    "so where bands overlap, the difference may be chance (bands are cut at 0% and 100%). " +
                    (single ? std::string("") : "Lines: " + shown[0].words + ", one per value of the other parameters. ") +
                    "From " + (s.dir / "summary.csv").string() + ".";
    json x = {{"field", "x"}, {"type", numeric ? "quantitative" : "ordinal"}, {"title", what}};
    if (!numeric) x["sort"] = order, x["axis"] = {{"labelAngle", 0}};
    const std::string shareTitle = single ? "Share" : shown[0].words;
    const json yLow = percentAxis(shareTitle, "low"), yMean = percentAxis(shareTitle, "mean");
    const json band = {{"mark", {{"type", "area"}, {"opacity", 0.22}}}, {"encoding", {{"y", yLow}, {"y2", {{"field", "high"}}}}}};
    const json line = {{"mark", {{"type", "line"}, {"point", true}}},
                       {"encoding",
                        {{"y", yMean},
                         {"tooltip", json::array({{{"field", "series"}},
                                                  {{"field", "x"}, {"title", what}},
                                                  {{"field", "mean"}, {"format", ".1%"}},
                                                  {{"field", "low"}, {"format", ".1%"}, {"title", "95% CI low"}},
                                                  {{"field", "high"}, {"format", ".1%"}, {"title", "95% CI high"}},
                                                  {{"field", "runs"}, {"title", "seeds"}}})}}}};
    chart.spec = {{"width", 520},
                  {"height", 260},
                  {"data", {{"values", values}}},
                  {"encoding",
                   {{"x", x},
                    {"color",
                     {{"field", "series"},
                      {"type", "nominal"},
                      {"title", nullptr},
                      {"legend", {{"orient", "bottom"}, {"direction", "vertical"}, {"labelLimit", 480}}}}}}},
                  {"layer", json::array({band, line})}};
    return chart;
}

}  // namespace

std::string parameterWords(const std::string& pointer) {
    static const std::map<std::string, std::string> words = {
        {"/cameras/count", "Number of cameras"},
        {"/cameras/placement", "Camera placement"},
        {"/cameras/patrol/cars", "Patrol cars"},
        {"/stores/retention/reads", "Reads kept for"},
        {"/stores/sharing/mode", "Sharing between agencies"},
        {"/demand/vehicles", "Number of cars"},
        {"/time/duration_hours", "Simulated hours"},
        {"/seed", "Seed"},
    };
    const auto it = words.find(pointer);
    return it != words.end() ? it->second : pointer;
}

bool isSweepChart(const ChartPlan& chart) { return chart.id.rfind("sweep-", 0) == 0; }

std::vector<std::string> sweepSentences(const std::vector<SweepSummary>& sweeps) {
    const std::string metric = "metrics.trip_coverage.share_linked";
    std::vector<std::string> sentences;
    for (const SweepSummary& s : sweeps) {
        if (s.parameters.size() != 1) continue;  // one varied field: one curve to put in words
        const SweepSummaryRow* first = nullptr;
        const SweepSummaryRow* last = nullptr;
        for (const SweepSummaryRow& r : s.rows) {
            if (r.metric != metric) continue;
            if (!first) first = &r;
            last = &r;
        }
        if (!first || first == last) continue;
        const std::string what = parameterWords(s.parameters[0]);
        auto at = [&](const SweepSummaryRow& r) {
            std::string text = percentText(r.mean) + " (" + what + ": " + r.values[0];
            if (r.low && r.high)
                text += "; 95% interval " + percentText(shareBound(*r.low)) + " to " + percentText(shareBound(*r.high));
            return text + "; mean of " + std::to_string(r.runs) + (r.runs == 1 ? " run)" : " seeds)");
        };
        sentences.push_back("In sweep " + s.name +
                            ", the share of car trips seen by two or more cameras (when and which way the car "
                            "went) goes from " +
                            at(*first) + " to " + at(*last) + "; the chart below shows every value.");
    }
    return sentences;
}

std::vector<ChartPlan> sweepCharts(const std::vector<SweepSummary>& sweeps) {
    std::vector<ChartPlan> charts;
    for (const SweepSummary& s : sweeps)
        for (size_t p = 0; p < s.parameters.size(); ++p) charts.push_back(sweepChart(s, p, charts.size()));
    return charts;
}

}  // namespace alprsim::report
