#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "report/report_html.h"
#include "report/report_inputs.h"
#include "report/report_model.h"
#include "tests/support/process.h"

using namespace alprsim;
using namespace alprsim::report;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::freshDir("report-" + name); }

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

// A results.json as `alprsim run` writes it, with the numbers the test chooses.
json results(const std::string& name, int cameras, double observed, double linked, json extraMetrics = json::object()) {
    json metrics = {{"trip_coverage", {{"share_observed", observed}, {"share_linked", linked}, {"trips_departed", 3000}}}};
    metrics.update(extraMetrics);
    return {
        {"scenario",
         {{"name", name}, {"description", "test run"}, {"cameras", {{"placement", "busiest-edges"}, {"agency", "Brookline"}}}}},
        {"seed", 1},
        {"counts", {{"cameras", cameras}, {"vehicles", 3000}}},
        {"simulated", {{"begin_s", 21600.0}, {"end_s", 36000.0}, {"model", "microscopic"}}},
        {"metrics", metrics}};
}

fs::path runDir(const fs::path& parent, const std::string& id, const json& doc) {
    write(parent / id / "results.json", doc.dump());
    return parent / id;
}

// Per-retention results as analysis writes them: views, each with results by retention period.
json retentionMetrics() {
    auto entry = [](const std::string& retention, double linked, double routes) {
        return json{{"retention", retention},
                    {"trips", {{"share_linked", linked}, {"share_route_reconstructed", routes}, {"route_reconstructed", 7}}}};
    };
    return {{"reconstructibility",
             {{"definitions", {{"route_coverage_share", 0.8}, {"endpoint_radius_m", 500.0}}},
              {"views", json::array({{{"view", "local:Brookline"},
                                      {"by_retention", json::array({entry("3m", 0.01, 0.0), entry("forever", 0.2, 0.1)})}},
                                     {{"view", "pooled"},
                                      {"by_retention", json::array({entry("3m", 0.02, 0.0), entry("1y", 0.40, 0.41),
                                                                    entry("forever", 0.42, 0.43)})}}})}}}};
}

}  // namespace

TEST_CASE("a folder that is neither a run nor a sweep is refused, naming it", "[report]") {
    const fs::path dir = scratch("not-a-run");
    try {
        loadReportInputs({dir});
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(e.file() == dir.string());
        CHECK(std::string(e.what()).find("results.json") != std::string::npos);
    }
}

TEST_CASE("an unreadable results.json is refused, naming the file", "[report]") {
    const fs::path dir = scratch("bad-json");
    write(dir / "run" / "results.json", "{ not json");
    try {
        loadReportInputs({dir / "run"});
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(e.file() == (dir / "run" / "results.json").string());
    }
    write(dir / "run" / "results.json", results("x", 3, 0.5, 0.4).dump());
    json wrongType = results("x", 3, 0.5, 0.4);
    wrongType["metrics"]["trip_coverage"]["share_linked"] = "a lot";
    write(dir / "run" / "results.json", wrongType.dump());
    try {
        buildReportModel(loadReportInputs({dir / "run"}));
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(e.where() == "/metrics/trip_coverage/share_linked");
    }
}

TEST_CASE("a sweep's finished runs are read in name order, unfinished ones noted", "[report]") {
    const fs::path sweep = scratch("sweep");
    runDir(sweep / "runs", "b-cams20", results("s", 20, 0.6, 0.5));
    runDir(sweep / "runs", "a-cams5", results("s", 5, 0.3, 0.2));
    fs::create_directories(sweep / "runs" / "c-unfinished");
    const ReportInputs inputs = loadReportInputs({sweep});
    REQUIRE(inputs.runs.size() == 2);
    CHECK(inputs.runs[0].id == "tmp-report-sweep/a-cams5");
    CHECK(inputs.runs[1].id == "tmp-report-sweep/b-cams20");
    REQUIRE(inputs.notes.size() == 1);
    CHECK(inputs.notes[0].find("1 run folder(s) have no results.json") != std::string::npos);

    const ReportModel model = buildReportModel(inputs);
    // Same scenario name: labels carry the run id to tell them apart.
    CHECK(model.runs[0].label == "s (tmp-report-sweep/a-cams5)");
    const auto& cameras = model.charts[2];
    REQUIRE(cameras.id == "cameras");
    CHECK(cameras.available);
    CHECK(cameras.spec["data"]["values"].size() == 4);  // 2 runs x (seen once, seen twice)
}

TEST_CASE("charts without data say why instead of drawing", "[report]") {
    const fs::path dir = scratch("missing");
    const ReportModel model = buildReportModel(loadReportInputs({runDir(dir, "one", results("one", 8, 0.44, 0.397))}));
    REQUIRE(model.charts.size() == 4);
    CHECK(model.charts[0].available);  // coverage
    CHECK_FALSE(model.charts[1].available);
    CHECK(model.charts[1].missing.find("no results per retention period") != std::string::npos);
    CHECK_FALSE(model.charts[2].available);
    CHECK(model.charts[2].missing.find("same number of cameras (8)") != std::string::npos);
    CHECK_FALSE(model.charts[3].available);
    CHECK(model.charts[3].missing.find("no hot-list results") != std::string::npos);
    CHECK(model.map.is_null());  // no roads.json in this run
    CHECK(model.mapNote.find("no roads.json") != std::string::npos);
}

TEST_CASE("findings are sentences made from the numbers present", "[report]") {
    const fs::path dir = scratch("findings");
    const ReportModel model =
        buildReportModel(loadReportInputs({runDir(dir, "keep", results("brookline-20", 20, 0.528, 0.436, retentionMetrics()))}));
    const std::string finding = findingHtml(model.runs[0]);
    CHECK(finding.find("With 20 cameras on the busiest roads (run by Brookline), 52.8% of the 3,000 simulated car trips") !=
          std::string::npos);
    CHECK(finding.find("43.6% by two or more") != std::string::npos);
    // Longest retention (forever) against shortest (3 minutes), in the pooled view.
    CHECK(finding.find(
              "Kept forever (reads pooled across agencies), the reads link 42.0% of trips and reconstruct the route of 43.0%. "
              "Kept 3 minutes, 2.0% and 0.0%.") != std::string::npos);
    REQUIRE(model.charts[1].available);
    CHECK(model.charts[1].spec["data"]["values"].size() == 6);  // pooled: 3 periods x (linked, route reconstructed)
    CHECK(model.runs[0].simulatedDays() == 1);
    const std::string body = renderBody(model, "test libraries");
    CHECK(body.find("covers at least 80% of the route the car really took") != std::string::npos);
    CHECK(body.find("<th>Route reconstructed, reads kept 3 minutes</th><th>Route reconstructed, reads kept forever</th>") !=
          std::string::npos);

    const std::string csv = reportCsv(model);
    INFO(csv);
    CHECK(csv.find("keep,brookline-20,1,20,share_route_reconstructed,pooled,1 year,31536000,0.41\n") != std::string::npos);
    CHECK(csv.find("keep,brookline-20,1,20,share_route_reconstructed,pooled,forever,inf,0.43\n") != std::string::npos);
    CHECK(csv.find("keep,brookline-20,1,20,share_linked,local:Brookline,3 minutes,180,0.01\n") != std::string::npos);
    CHECK(csv.find("keep,brookline-20,1,20,share_linked,,,,0.436\n") != std::string::npos);
}

TEST_CASE("hot-list results are set against privacy cost", "[report]") {
    const fs::path dir = scratch("hotlist");
    json withHotList = results("with-hot-list", 20, 0.5, 0.4);
    withHotList["hot_list"] = {{"flagged_vehicles", 8}, {"flagged_vehicles_found", 6}, {"false_alert_share", 0.25}};
    const ReportModel model = buildReportModel(loadReportInputs({runDir(dir, "hot", withHotList)}));
    REQUIRE(model.runs[0].hotList);
    CHECK(model.runs[0].hotList->detectedShare == Approx(0.75));
    REQUIRE(model.charts[3].available);
    CHECK(model.charts[3].spec["data"]["values"][0]["detected"] == 0.75);
    CHECK(model.charts[3].spec["data"]["values"][0]["cost"] == 0.4);
    CHECK(reportCsv(model).find("hot,with-hot-list,1,20,hot_list_share_detected,,,,0.75\n") != std::string::npos);
}

TEST_CASE("a scenario name with markup reaches the page only as text", "[report]") {
    const fs::path dir = scratch("markup");
    const ReportModel model =
        buildReportModel(loadReportInputs({runDir(dir, "evil", results("<script>alert(1)</script>", 8, 0.4, 0.3))}));
    const std::string body = renderBody(model, "test libraries");
    CHECK(body.find("<script") == std::string::npos);
    CHECK(body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}
