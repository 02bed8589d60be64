#include "sweep/summary.h"

#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

#include "core/csv.h"
#include "run_folder/run_results.h"

namespace alprsim {

namespace {

std::string number(double v) { return fmt::format("{:.10g}", v); }

// The name of an array element: its identifying member where it has one (views[pooled],
// by_retention[30d], by_points[k=2]), so that a name means the same thing in every run even when
// runs list different views; otherwise its position.
std::string elementLabel(const nlohmann::json& element, size_t index) {
    if (element.is_object()) {
        for (const char* key : {"view", "retention", "name", "id"})
            if (element.contains(key) && element[key].is_string()) return element[key].get<std::string>();
        if (element.contains("k") && element["k"].is_number()) return "k=" + element["k"].dump();
    }
    return std::to_string(index);
}

void collectNumbers(const nlohmann::json& node, const std::string& name, std::map<std::string, double>& out) {
    if (node.is_object())
        for (const auto& [key, value] : node.items()) collectNumbers(value, name + "." + key, out);
    else if (node.is_array())
        for (size_t i = 0; i < node.size(); ++i) collectNumbers(node[i], name + "[" + elementLabel(node[i], i) + "]", out);
    else if (node.is_number())
        out[name] = node.get<double>();
}

}  // namespace

double studentT975(unsigned degreesOfFreedom) {
    if (degreesOfFreedom == 0) throw std::invalid_argument("Student t needs at least one degree of freedom");
    return boost::math::quantile(boost::math::students_t(degreesOfFreedom), 0.975);
}

MeanInterval meanWithInterval(const std::vector<double>& values) {
    MeanInterval r;
    r.n = values.size();
    if (r.n == 0) return r;
    r.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(r.n);
    if (r.n < 2) return r;
    double squares = 0;
    for (double v : values) squares += (v - r.mean) * (v - r.mean);
    r.stddev = std::sqrt(squares / static_cast<double>(r.n - 1));
    r.halfWidth = studentT975(static_cast<unsigned>(r.n - 1)) * *r.stddev / std::sqrt(static_cast<double>(r.n));
    return r;
}

std::map<std::string, double> numericMetrics(const nlohmann::json& results) {
    std::map<std::string, double> out;
    for (const char* section : kMeasurementSections)
        if (results.contains(section)) collectNumbers(results[section], section, out);
    return out;
}

std::string summaryCsv(const SweepPlan& plan, const std::map<std::string, nlohmann::json>& results) {
    std::vector<std::string> header{"point"};
    header.insert(header.end(), plan.parameters.begin(), plan.parameters.end());
    for (const char* c : {"metric", "runs", "mean", "stddev", "ci95_low", "ci95_high"}) header.push_back(c);
    std::string csv = csvRow(header);

    // point -> metric -> values over the point's finished runs, in seed order
    std::vector<std::map<std::string, std::vector<double>>> byPoint(plan.points);
    std::vector<const PlannedRun*> firstRun(plan.points, nullptr);
    for (const PlannedRun& run : plan.runs) {
        if (!firstRun[run.point]) firstRun[run.point] = &run;
        const auto found = results.find(run.id);
        if (found == results.end()) continue;
        for (const auto& [metric, value] : numericMetrics(found->second)) byPoint[run.point][metric].push_back(value);
    }
    for (size_t p = 0; p < plan.points; ++p) {
        for (const auto& [metric, values] : byPoint[p]) {
            const MeanInterval m = meanWithInterval(values);
            std::vector<std::string> row{std::to_string(p)};
            for (const nlohmann::json& v : firstRun[p]->values) row.push_back(v.is_string() ? v.get<std::string>() : v.dump());
            row.insert(row.end(),
                       {metric, std::to_string(m.n), number(m.mean), m.stddev ? number(*m.stddev) : "",
                        m.halfWidth ? number(m.mean - *m.halfWidth) : "", m.halfWidth ? number(m.mean + *m.halfWidth) : ""});
            csv += csvRow(row);
        }
    }
    return csv;
}

}  // namespace alprsim
