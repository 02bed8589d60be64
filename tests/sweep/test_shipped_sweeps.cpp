// The ready experiments in sweeps/: each parses, plans and builds a valid scenario for every run,
// replicates every point with at least five seeds, states its expected run time, and finds its
// base wherever the sweep file is kept.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "scenarios/scenario.h"
#include "sweep/sweep_plan.h"
#include "sweep/sweep_spec.h"
#include "tests/support/process.h"

using namespace alprsim;
using nlohmann::json;

namespace {
std::vector<fs::path> shippedSweeps() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(test::sourceDir()) / "sweeps"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}
}  // namespace

TEST_CASE("every shipped sweep parses, plans, and every run's scenario loads", "[sweep][shipped]") {
    const std::vector<fs::path> files = shippedSweeps();
    // The first sweep and one per question: cameras, retention, pooling, hot lists.
    REQUIRE(files.size() >= 5);
    std::set<std::string> names;
    const fs::path scratch = test::freshDir("shipped-sweeps");
    for (const fs::path& file : files) {
        INFO(file.string());
        const SweepSpec spec = loadSweepSpec(file);
        names.insert(spec.name);
        CHECK(spec.seeds.size() >= 5);
        CHECK(spec.description.find("Expected run time on 2 cores") != std::string::npos);
        CHECK(spec.description.find("RUNTIME_") == std::string::npos);  // a figure, not a placeholder
        const SweepPlan plan = planSweep(spec);
        CHECK(plan.points >= 2);
        CHECK(plan.runs.size() == plan.points * spec.seeds.size());
        for (const PlannedRun& run : plan.runs) {
            // As the sweep does: the run's complete scenario in a file of its own, loaded as `run` loads it.
            const fs::path scenario = scratch / (spec.name + "-" + run.id + ".json");
            std::ofstream(scenario) << run.scenario.dump(2);
            INFO(run.id << ": " << run.scenario.dump());
            CHECK_NOTHROW(loadScenario(scenario));
        }
    }
    for (const char* name : {"first-sweep", "q1-cameras-placement", "q2-retention", "q3-pooling", "q4-hotlist"})
        CHECK(names.count(name) == 1);
}

TEST_CASE("a sweep's base is found the same way wherever the sweep file is kept", "[sweep][shipped]") {
    const fs::path elsewhere = fs::path(test::freshDir("sweep-elsewhere")) / "my" / "experiments";
    fs::create_directories(elsewhere);
    fs::copy_file(fs::path(test::sourceDir()) / "sweeps" / "first-sweep.json", elsewhere / "first-sweep.json");
    const SweepSpec moved = loadSweepSpec(elsewhere / "first-sweep.json");
    const SweepSpec shipped = loadSweepSpec(fs::path(test::sourceDir()) / "sweeps" / "first-sweep.json");
    CHECK(fs::equivalent(moved.baseScenario, fs::path(test::sourceDir()) / "scenarios" / "quick.json"));
    CHECK(planSweep(moved).runs.front().id == planSweep(shipped).runs.front().id);

    // A base beside the sweep file comes first: a user's own quick.json wins over the shipped one.
    json own = json::parse(test::readFile(test::sourceDir() + "/scenarios/quick.json"));
    own["name"] = "my-quick";
    std::ofstream(elsewhere / "quick.json") << own.dump(2);
    CHECK(fs::equivalent(loadSweepSpec(elsewhere / "first-sweep.json").baseScenario, elsewhere / "quick.json"));

    // A base found nowhere lists where it was looked for.
    std::ofstream(elsewhere / "lost.json") << R"({"name": "lost", "base": "no-such-base.json", "seeds": [1]})";
    try {
        loadSweepSpec(elsewhere / "lost.json");
        FAIL("accepted");
    } catch (const InputError& e) {
        const std::string message = e.what();
        CHECK(message.find("/base") != std::string::npos);
        CHECK(message.find((elsewhere / "no-such-base.json").string()) != std::string::npos);
        CHECK(message.find("scenarios/no-such-base.json") != std::string::npos);
    }
}
