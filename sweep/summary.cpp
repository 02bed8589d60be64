#include "sweep/summary.h"

#include <cmath>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "core/csv.h"

namespace alprsim {

namespace {

// Continued fraction for the regularized incomplete beta function (Numerical Recipes, betacf).
double betaContinuedFraction(double a, double b, double x) {
    constexpr double kTiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (std::fabs(d) < kTiny) d = kTiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        d = std::fabs(d) < kTiny ? kTiny : d;
        c = 1 + aa / c;
        c = std::fabs(c) < kTiny ? kTiny : c;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        d = std::fabs(d) < kTiny ? kTiny : d;
        c = 1 + aa / c;
        c = std::fabs(c) < kTiny ? kTiny : c;
        d = 1 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1) < 1e-15) break;
    }
    return h;
}

double regularizedBeta(double a, double b, double x) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log(1 - x));
    if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(a, b, x) / a;
    return 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
}

// P(T <= t) for Student's t with nu degrees of freedom, t >= 0.
double studentCdf(double t, double nu) { return 1 - 0.5 * regularizedBeta(nu / 2, 0.5, nu / (nu + t * t)); }

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

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
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) collectNumbers(value, name + "." + key, out);
    } else if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i) collectNumbers(node[i], name + "[" + elementLabel(node[i], i) + "]", out);
    } else if (node.is_number()) {
        out[name] = node.get<double>();
    }
}

// The bisection in studentT975 evaluates the incomplete beta function a hundred times; a sweep
// asks for the same few degrees of freedom once per point and metric (thousands of times, at
// the end of the sweep, when no run is left to overlap with), so each is computed once.
double cachedStudentT975(unsigned degreesOfFreedom) {
    static std::mutex mutex;
    static std::map<unsigned, double> quantiles;
    const std::lock_guard<std::mutex> lock(mutex);
    const auto [it, inserted] = quantiles.try_emplace(degreesOfFreedom, 0.0);
    if (inserted) it->second = studentT975(degreesOfFreedom);
    return it->second;
}

}  // namespace

double studentT975(unsigned degreesOfFreedom) {
    if (degreesOfFreedom == 0) throw std::invalid_argument("Student t needs at least one degree of freedom");
    // Bisection on the CDF: monotone, and 100 halvings of [0, 1000] reach double precision.
    const double nu = degreesOfFreedom;
    double lo = 0, hi = 1000;  // t(0.975; 1) = 12.706
    for (int i = 0; i < 100; ++i) {
        const double mid = (lo + hi) / 2;
        (studentCdf(mid, nu) < 0.975 ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

MeanInterval meanWithInterval(const std::vector<double>& values) {
    MeanInterval r;
    r.n = values.size();
    if (r.n == 0) return r;
    double sum = 0;
    for (double v : values) sum += v;
    r.mean = sum / static_cast<double>(r.n);
    if (r.n < 2) return r;
    double squares = 0;
    for (double v : values) squares += (v - r.mean) * (v - r.mean);
    r.stddev = std::sqrt(squares / static_cast<double>(r.n - 1));
    r.halfWidth = cachedStudentT975(static_cast<unsigned>(r.n - 1)) * *r.stddev / std::sqrt(static_cast<double>(r.n));
    return r;
}

std::map<std::string, double> numericMetrics(const nlohmann::json& results) {
    std::map<std::string, double> out;
    for (const char* section : {"counts", "hot_list", "metrics"})
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
            row.push_back(metric);
            row.push_back(std::to_string(m.n));
            row.push_back(number(m.mean));
            row.push_back(m.stddev ? number(*m.stddev) : "");
            row.push_back(m.halfWidth ? number(m.mean - *m.halfWidth) : "");
            row.push_back(m.halfWidth ? number(m.mean + *m.halfWidth) : "");
            csv += csvRow(row);
        }
    }
    return csv;
}

}  // namespace alprsim
