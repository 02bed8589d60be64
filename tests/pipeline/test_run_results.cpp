// results.json, the run folder's contract: what the pipeline writes (a quick run with agency
// stores, in this process) validates against run_folder/results.schema.json, reads back through
// RunResults unchanged, and the schema's typed sections list exactly the fields they require.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "alprsim_version.h"
#include "core/error.h"
#include "core/files.h"
#include "pipeline/run_summary.h"
#include "pipeline/scenario_run.h"
#include "run_folder/run_folder.h"
#include "tests/support/process.h"
#include "tests/support/json_schema_check.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

test::SchemaChecker resultsSchema() {
    return test::SchemaChecker(json::parse(readTextFile(fs::path(test::sourceDir()) / "run_folder" / "results.schema.json")));
}

// scenarios/quick.json with agency stores and a hot list, so that every section is written. Only
// one test case runs it (ctest runs test cases in parallel, each in its own process).
struct QuickRun {
    fs::path dir;
    RunResults returned;
    json written;
};

const QuickRun& quickRunWithStores() {
    static const QuickRun run = [] {
        const fs::path dir = test::freshDir("pipeline-quick");
        const json scenario = {
            {"extends", test::sourceDir() + "/scenarios/quick.json"},
            {"name", "quick-with-stores"},
            {"stores", {{"sharing", {{"mode", "pooled"}}}, {"retention", {{"reads", "30d"}}}, {"hot_list", {{"share", 0.05}}}}}};
        std::ofstream(dir / "quick-with-stores.json") << scenario.dump();
        RunOptions options;
        options.outDir = dir / "run";
        options.threads = 1;
        QuickRun r{options.outDir, runScenario(loadScenario(dir / "quick-with-stores.json"), options), {}};
        r.written = json::parse(readTextFile(RunFolder(r.dir).results()));
        return r;
    }();
    return run;
}

}  // namespace

TEST_CASE("A run's results.json matches its schema and reads back through RunResults unchanged", "[pipeline][run]") {
    const QuickRun& run = quickRunWithStores();
    const std::vector<std::string> violations = resultsSchema().violations(run.written);
    for (const std::string& v : violations) UNSCOPED_INFO(v);
    CHECK(violations.empty());
    json withNewField = run.written;  // a field outside the contract is refused: none is added unnoticed
    withNewField["counts"]["something_new"] = 1;
    CHECK_FALSE(resultsSchema().violations(withNewField).empty());
    CHECK(json(run.returned) == run.written);
    CHECK(json(readRunResults(run.written, "results.json")) == run.written);
    CHECK(run.written["alprsim_version"] == kVersion);
    REQUIRE(run.returned.hotList);
    CHECK(*run.returned.hotList->flaggedVehicles > 0);
    for (const char* file : {RunFolder::kTrips, RunFolder::kVehicles, RunFolder::kReads, RunFolder::kRoads, RunFolder::kCameras,
                             RunFolder::kCamerasSumo, RunFolder::kExampleTrips, RunFolder::kStores})
        CHECK(fs::exists(run.dir / file));

    // A region run's sections: its agencies, and a view's figures by the driver's home town.
    CHECK(run.written["agencies"] == json::object());  // the quick scenario has no agencies section
    RunResults region = run.returned;
    region.agencies["Boston"] = {"independent-purchase", "ma/alpr-agencies.csv", 6, 0, "agreement", json{"Cambridge"}};
    region.agencies["Cambridge"] = {"none", "scenario", 0, 0, "local", json()};
    json regionJson = region;
    const json town = {{"vehicles", 3},
                       {"trips", run.written["metrics"]["reconstructibility"]["views"][0]["by_retention"][0]["trips"]},
                       {"homes", {{"vehicles", 3}, {"found", 1}}},
                       {"work", {{"vehicles", 2}, {"found", 0}}}};
    regionJson["metrics"]["reconstructibility"]["views"][0]["by_retention"][0]["by_home_town"] = {{"Brookline", town}};
    const std::vector<std::string> regionViolations = resultsSchema().violations(regionJson);
    for (const std::string& v : regionViolations) UNSCOPED_INFO(v);
    CHECK(regionViolations.empty());
    CHECK(json(readRunResults(regionJson, "results.json")) == regionJson);
    json badTown = regionJson;
    badTown["metrics"]["reconstructibility"]["views"][0]["by_retention"][0]["by_home_town"]["Brookline"].erase("homes");
    CHECK_FALSE(resultsSchema().violations(badTown).empty());
    json badSharing = regionJson;
    badSharing["agencies"]["Boston"]["sharing"] = "shared";
    CHECK_FALSE(resultsSchema().violations(badSharing).empty());

    const std::string summary = plainSummary(run.returned, run.dir);
    CHECK(summary.find(std::to_string(*run.returned.counts.cameras) + " cameras recorded " +
                       std::to_string(*run.returned.counts.reads) + " plate reads") != std::string::npos);
}

TEST_CASE("The schema's typed sections require every field they list and allow no other", "[pipeline]") {
    const test::SchemaChecker schema = resultsSchema();
    const json& root = schema.root();
    for (const json* section : {&root, &root["properties"]["network"], &root["properties"]["simulated"],
                                &root["properties"]["counts"], &root["properties"]["metrics"], &root["$defs"]["hot_list"]}) {
        auto required = (*section)["required"].get<std::vector<std::string>>();
        std::sort(required.begin(), required.end());
        CHECK(schema.propertyNames(*section) == required);
        CHECK((*section)["additionalProperties"] == false);
    }
}

TEST_CASE("Reading results.json: absent fields stay absent, a wrong type is named by its pointer", "[pipeline]") {
    const RunResults partial = readRunResults(json{{"seed", 3}, {"counts", {{"cameras", 8}}}}, "x/results.json");
    CHECK(partial.seed == 3u);
    CHECK(partial.counts.cameras == 8u);
    CHECK_FALSE(partial.counts.reads);
    CHECK_FALSE(partial.hotList);
    CHECK(partial.simulated.model.empty());

    for (const auto& [doc, pointer] : std::vector<std::pair<json, std::string>>{
             {{{"counts", {{"cameras", -1}}}}, "/counts/cameras"},
             {{{"simulated", {{"model", 3}}}}, "/simulated/model"},
             {{{"hot_list", {{"false_alerts_by_cause", {{"stale", "many"}}}}}}, "/hot_list/false_alerts_by_cause/stale"},
             {{{"hot_list", 5}}, "/hot_list"}}) {
        try {
            readRunResults(doc, "x/results.json");
            FAIL("expected an InputError for " + doc.dump());
        } catch (const InputError& e) {
            CHECK(e.file() == "x/results.json");
            CHECK(e.where() == pointer);
        }
    }
}
