// Homes, workplaces and unicity in plain words, and a sweep's curves, from inputs built by hand
// (answers known by construction).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "report/people_facts.h"
#include "report/report_html.h"
#include "report/report_inputs.h"
#include "report/report_model.h"
#include "report/sweep_charts.h"
#include "tests/support/process.h"

using namespace alprsim;
using namespace alprsim::report;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path peopleScratch(const std::string& name) { return test::freshDir("report-people-" + name); }

// brookline-baseline's figures as the issue gives them: at k = 4 points, 16 of 1,012 plates read
// that often are unique; 3,000 vehicles in all. Homes: 120 of 600 right, 30 wrong.
json peopleResults() {
    const json unicity = {{"traces", 2500},
                          {"traces_tested", 2500},
                          {"by_points",
                           {{{"k", 1}, {"traces", 2500}, {"unique", 900}, {"share_unique", 0.36}},
                            {{"k", 4}, {"traces", 1012}, {"unique", 16}, {"share_unique", 16.0 / 1012}}}}};
    const json home = {{"available", true}, {"vehicles", 600}, {"inferred", 150},
                       {"correct", 120},    {"wrong", 30},     {"share_correct", 0.2}};
    const json work = {{"available", false}, {"reason", "the run's demand has no workplaces"}, {"identities_with_place", 0}};
    const json shortEntry = {{"retention", "3m"},
                             {"trips", {{"share_linked", 0.1}}},
                             {"home", {{"available", true}, {"vehicles", 600}, {"correct", 0}, {"wrong", 0}}},
                             {"unicity", unicity}};
    const json longEntry = {
        {"retention", "forever"}, {"trips", {{"share_linked", 0.4}}}, {"home", home}, {"work", work}, {"unicity", unicity}};
    return {{"scenario", {{"name", "brookline"}}},
            {"counts", {{"cameras", 20}, {"vehicles", 3000}}},
            {"metrics",
             {{"trip_coverage", {{"share_observed", 0.5}, {"share_linked", 0.4}}},
              {"reconstructibility",
               {{"definitions", {{"place_radius_m", 250}, {"unicity", {{"time_bin_s", 300}}}}},
                {"views", {{{"view", "pooled"}, {"by_retention", {shortEntry, longEntry}}}}}}}}}};
}

}  // namespace

TEST_CASE("unicity is said over the plates read often enough and over every car, homes with their counts", "[report][people]") {
    const fs::path dir = peopleScratch("unicity");
    std::ofstream(dir / "results.json") << peopleResults().dump();
    const ReportModel model = buildReportModel(loadReportInputs({dir}));
    REQUIRE(model.people.size() == 1);
    const PeopleFacts& p = model.people[0];
    CHECK(std::isinf(p.retentionSeconds));  // the longest period: forever
    const std::string unicity = unicitySentence(p);
    CHECK(unicity.find("1,012 plates were read at 4 or more different places and times") != std::string::npos);
    CHECK(unicity.find("tell 16 of them apart from every other car: 1.6% of those 1,012 plates, which is 0.5% of all 3,000 cars "
                       "in the run") != std::string::npos);
    const std::string home = homeSentence(p, *p.home, "home");
    CHECK(home.find("kept forever") != std::string::npos);
    CHECK(home.find("finds the right home (within 250 m) for 120 of the 600 cars that have one (20.0%)") != std::string::npos);
    CHECK(home.find("For 30 more, the reads point to a wrong place.") != std::string::npos);
    const std::string work = homeSentence(p, *p.work, "workplace");
    CHECK(work.find("<b>Workplace</b>: not measured in brookline: the run") != std::string::npos);
    CHECK(work.find("demand has no workplaces.") != std::string::npos);
    const std::string page = renderBody(model, "test");
    CHECK(page.find("<h2>What the reads say about people</h2>") != std::string::npos);
    CHECK(page.find("0.5% of all 3,000 cars") != std::string::npos);
}

TEST_CASE("a sweep's summary.csv becomes a curve per varied parameter with its interval band", "[report][sweep]") {
    const fs::path dir = peopleScratch("sweep");
    const fs::path run = dir / "runs" / "p0000-s1-aaaa";
    fs::create_directories(run);
    std::ofstream(run / "results.json") << peopleResults().dump();
    std::ofstream(dir / "sweep.json") << json({{"sweep", {{"name", "cams"}}}, {"runs", {{{"id", "p0000-s1-aaaa"}}}}}).dump();
    std::ofstream(dir / "summary.csv") << "point,/cameras/placement,/cameras/count,metric,runs,mean,stddev,ci95_low,ci95_high\n"
                                          "0,border,4,metrics.trip_coverage.share_linked,5,0.2,0.01,0.18,0.22\n"
                                          "0,border,4,metrics.trip_coverage.share_observed,5,0.3,0.01,0.28,0.32\n"
                                          "1,border,8,metrics.trip_coverage.share_linked,5,0.3,0.01,0.28,0.32\n"
                                          "2,busiest-edges,4,metrics.trip_coverage.share_linked,5,0.25,,,\n"
                                          "3,busiest-edges,8,metrics.trip_coverage.share_linked,1,0.35,,,\n";
    const ReportInputs inputs = loadReportInputs({dir});
    REQUIRE(inputs.sweeps.size() == 1);
    CHECK(inputs.sweeps[0].name == "cams");
    const std::vector<ChartPlan> charts = sweepCharts(inputs.sweeps);
    REQUIRE(charts.size() == 2);  // one per varied parameter
    CHECK(charts[0].title == "Sweep cams: what changes with Camera placement");
    CHECK(charts[1].title == "Sweep cams: what changes with Number of cameras");
    // Two parameters: the curves over the camera count are one per placement, of trips seen twice.
    const json& values = charts[1].spec["data"]["values"];
    REQUIRE(values.size() == 4);
    CHECK(values[0] ==
          json({{"x", 4.0}, {"series", "Camera placement border"}, {"mean", 0.2}, {"runs", 5}, {"low", 0.18}, {"high", 0.22}}));
    CHECK(values[3]["low"] == 0.35);  // one run: no interval, the band closes on the mean
    CHECK(charts[0].spec["encoding"]["x"]["type"] == "ordinal");
    CHECK(charts[0].spec["encoding"]["x"]["sort"] == json({"border", "busiest-edges"}));
    CHECK(charts[1].spec["layer"][0]["mark"]["type"] == "area");
    CHECK(charts[1].spec["layer"][0]["encoding"]["y2"]["field"] == "high");

    // A damaged summary.csv is bad input naming the file and the line.
    std::ofstream(dir / "summary.csv", std::ios::app) << "4,border,x,metrics.a,five,0.1,,,\n";
    try {
        loadReportInputs({dir});
        FAIL("accepted");
    } catch (const InputError& e) {
        CHECK(e.file() == (dir / "summary.csv").string());
        CHECK(e.where() == "line 7");
    }
}
