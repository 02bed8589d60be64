#pragma once
// A sweep drawn: for every parameter it varies, a curve of the headline shares against that
// parameter's values (the mean over seeds, from summary.csv), with the 95% confidence interval
// as a shaded band around it.
#include <string>
#include <vector>

#include "report/report_inputs.h"
#include "report/report_model.h"

namespace alprsim::report {

std::vector<ChartPlan> sweepCharts(const std::vector<SweepSummary>& sweeps);

// Whether a chart is one of sweepCharts' (the page shows them first, in their own section).
bool isSweepChart(const ChartPlan& chart);

// One sentence per sweep and varied parameter, in plain words (text, not HTML): how the share
// of trips seen twice moves from the parameter's first value to its last, with the intervals.
std::vector<std::string> sweepSentences(const std::vector<SweepSummary>& sweeps);

// What the page calls a parameter ("/cameras/count" -> "Number of cameras"); the pointer itself
// when it has no name here.
std::string parameterWords(const std::string& pointer);

}  // namespace alprsim::report
