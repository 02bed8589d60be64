#pragma once
// Aggregating a sweep: for every parameter combination and every numeric metric in the runs'
// results.json, the mean over seeds and its 95% confidence interval.
//
//   mean = (1/n) sum x_i
//   s    = sqrt( sum (x_i - mean)^2 / (n - 1) )          (sample standard deviation)
//   half = t(0.975; n - 1) * s / sqrt(n)                   (Student t, two-sided 95%)
//   CI   = [mean - half, mean + half]                      (empty when n < 2)
#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sweep/sweep_plan.h"

namespace alprsim {

// The 0.975 quantile of Student's t distribution with `degreesOfFreedom` (>= 1).
double studentT975(unsigned degreesOfFreedom);

struct MeanInterval {
    size_t n = 0;
    double mean = 0;
    std::optional<double> stddev;     // n >= 2
    std::optional<double> halfWidth;  // n >= 2: CI = mean -+ halfWidth
};

MeanInterval meanWithInterval(const std::vector<double>& values);

// Every number under "metrics", "counts" and "hot_list" in a results.json, by dotted name
// (metrics.trip_coverage.share_observed). Array elements are named by their identifying member
// ("view", "retention", "name", "id", or "k") or else by position:
// metrics.reconstructibility.views[pooled].by_retention[30d].trips.share_linked,
// ...unicity.by_points[k=2].share_unique. Booleans and strings are not metrics.
std::map<std::string, double> numericMetrics(const nlohmann::json& results);

// summary.csv: one row per point and metric:
//   point,<one column per parameter>,metric,runs,mean,stddev,ci95_low,ci95_high
// `results` maps run id -> its results.json; runs without results are left out (and counted
// in `runs` only when they have one). Rows: points in order, metrics by name. Numbers are
// printed with 10 significant digits, so equal inputs give an identical file.
std::string summaryCsv(const SweepPlan& plan, const std::map<std::string, nlohmann::json>& results);

}  // namespace alprsim
