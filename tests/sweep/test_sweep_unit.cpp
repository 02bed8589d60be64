// Sweep files, run plans and the summary's statistics, without running anything.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "sweep/run_backend.h"
#include "sweep/slurm_backend.h"
#include "sweep/summary.h"
#include "sweep/sweep_plan.h"
#include "sweep/sweep_spec.h"
#include "tests/support/text.h"

using namespace alprsim;
namespace fs = std::filesystem;
using alprsim::test::contains;
using nlohmann::json;

namespace {

struct SweepFolder {
    fs::path dir;
    explicit SweepFolder(const std::string& name) : dir(fs::current_path() / ("tmp-sweep-unit-" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        std::ofstream(dir / "base.json") << R"({"name": "b", "seed": 9, "network": {"osm": "x.osm"},
            "time": {"start_hour": 7, "duration_hours": 1}, "demand": {"model": "random-od", "vehicles": 10},
            "cameras": {"agency": "A", "placement": "busiest-edges", "count": 2}})";
    }
    fs::path write(const json& sweep) const {
        const fs::path p = dir / "sweep.json";
        std::ofstream(p) << sweep.dump(2);
        return p;
    }
    InputError rejection(const json& sweep) const {
        try {
            loadSweepSpec(write(sweep));
        } catch (const InputError& e) {
            CHECK(e.file() == (dir / "sweep.json").string());
            return e;
        }
        FAIL("sweep accepted: " << sweep.dump());
        throw std::logic_error("unreachable");
    }
};

}  // namespace

TEST_CASE("Student t 0.975 quantiles match the published table", "[summary]") {
    CHECK(studentT975(1) == Approx(12.7062047).epsilon(1e-7));
    CHECK(studentT975(2) == Approx(4.30265273).epsilon(1e-7));
    CHECK(studentT975(4) == Approx(2.77644511).epsilon(1e-7));
    CHECK(studentT975(9) == Approx(2.26215716).epsilon(1e-7));
    CHECK(studentT975(30) == Approx(2.04227246).epsilon(1e-7));
    CHECK(studentT975(120) == Approx(1.97993040).epsilon(1e-7));
    CHECK(studentT975(10000000) == Approx(1.95996398).epsilon(1e-6));  // the normal limit
    CHECK_THROWS(studentT975(0));
}

TEST_CASE("Mean and 95% interval on known inputs", "[summary]") {
    const MeanInterval m = meanWithInterval({1, 2, 3, 4, 5});
    CHECK(m.n == 5);
    CHECK(m.mean == Approx(3));
    REQUIRE(m.stddev);
    CHECK(*m.stddev == Approx(std::sqrt(2.5)));
    REQUIRE(m.halfWidth);
    CHECK(*m.halfWidth == Approx(2.77644511 * std::sqrt(2.5) / std::sqrt(5.0)));  // 1.96324...
    CHECK(m.mean - *m.halfWidth == Approx(1.036757).epsilon(1e-6));

    const MeanInterval pair = meanWithInterval({0.40, 0.50});
    CHECK(pair.mean == Approx(0.45));
    CHECK(*pair.halfWidth == Approx(12.7062047 * std::sqrt(0.005) / std::sqrt(2.0)));  // 0.635310...

    const MeanInterval same = meanWithInterval({2, 2, 2});
    CHECK(*same.halfWidth == 0);

    const MeanInterval one = meanWithInterval({7});
    CHECK(one.mean == 7);
    CHECK_FALSE(one.stddev);
    CHECK_FALSE(one.halfWidth);
}

TEST_CASE("Numeric metrics are every number under counts and metrics", "[summary]") {
    const json results = json::parse(R"({"seed": 3, "network": {"edges": 10},
        "counts": {"reads": 5, "vehicles": 2},
        "metrics": {"trip_coverage": {"share_observed": 0.25, "by": {"0": 3}, "label": "x", "flag": true}}})");
    const auto m = numericMetrics(results);
    CHECK(m == std::map<std::string, double>{{"counts.reads", 5},
                                             {"counts.vehicles", 2},
                                             {"metrics.trip_coverage.by.0", 3},
                                             {"metrics.trip_coverage.share_observed", 0.25}});
}

TEST_CASE("Numbers inside arrays are metrics, named by the element's identifying member", "[summary]") {
    const json results = json::parse(R"({"metrics": {"r": {
        "definitions": {"retentions": ["3m", "30d"]},
        "views": [{"view": "pooled", "by_retention": [{"retention": "3m", "trips": {"linked": 1}},
                                                      {"retention": "30d", "trips": {"linked": 7}}]},
                  {"view": "local:Boston", "by_retention": [{"retention": "3m", "trips": {"linked": 0}}]}],
        "by_points": [{"k": 1, "unique": 4}, {"k": 2, "unique": 9}],
        "hourly": [5, 6]}}})");
    const auto m = numericMetrics(results);
    CHECK(m == std::map<std::string, double>{{"metrics.r.views[pooled].by_retention[3m].trips.linked", 1},
                                             {"metrics.r.views[pooled].by_retention[30d].trips.linked", 7},
                                             {"metrics.r.views[local:Boston].by_retention[3m].trips.linked", 0},
                                             {"metrics.r.by_points[k=1].k", 1},
                                             {"metrics.r.by_points[k=1].unique", 4},
                                             {"metrics.r.by_points[k=2].k", 2},
                                             {"metrics.r.by_points[k=2].unique", 9},
                                             {"metrics.r.hourly[0]", 5},
                                             {"metrics.r.hourly[1]", 6}});
}

TEST_CASE("summary.csv: one row per point and metric, mean and interval over seeds", "[summary]") {
    SweepPlan plan;
    plan.parameters = {"/cameras/count"};
    plan.points = 2;
    auto run = [](std::string id, size_t point, uint64_t seed, json value) {
        PlannedRun r;
        r.id = std::move(id);
        r.point = point;
        r.seed = seed;
        r.values = {std::move(value)};
        return r;
    };
    plan.runs = {run("a", 0, 1, 4), run("b", 0, 2, 4), run("c", 0, 3, 4), run("d", 1, 1, 8), run("e", 1, 2, 8)};
    auto results = [](double share) { return json{{"counts", {{"reads", 10}}}, {"metrics", {{"share", share}}}}; };
    // Run "e" has not finished: point 1 has one run.
    const std::map<std::string, json> finished = {
        {"a", results(0.1)}, {"b", results(0.2)}, {"c", results(0.3)}, {"d", results(0.5)}};
    const std::string csv = summaryCsv(plan, finished);
    const double half = 4.30265273 * 0.1 / std::sqrt(3.0);  // t(0.975; 2) * s / sqrt(n), s = 0.1
    const std::string sharePrefix = "0,4,metrics.share,3,0.2,0.1,";
    const size_t at = csv.find(sharePrefix);
    REQUIRE(at != std::string::npos);
    const std::string interval = csv.substr(at + sharePrefix.size(), csv.find('\n', at) - at - sharePrefix.size());
    CHECK(std::stod(interval.substr(0, interval.find(','))) == Approx(0.2 - half).epsilon(1e-8));
    CHECK(std::stod(interval.substr(interval.find(',') + 1)) == Approx(0.2 + half).epsilon(1e-8));
    CHECK(csv == std::string("point,/cameras/count,metric,runs,mean,stddev,ci95_low,ci95_high\n") +
                     "0,4,counts.reads,3,10,0,10,10\n" + sharePrefix + interval + "\n" +
                     "1,8,counts.reads,1,10,,,\n"
                     "1,8,metrics.share,1,0.5,,,\n");
}

TEST_CASE("A grid is every combination, the last axis fastest, times every seed", "[plan]") {
    SweepFolder f("grid");
    const SweepSpec spec = loadSweepSpec(f.write(json::parse(R"({"name": "g", "base": "base.json",
        "grid": [{"path": "/cameras/count", "values": [1, 2]}, {"path": "/demand/vehicles", "values": [10, 20, 30]}],
        "seeds": [5, 6]})")));
    const SweepPlan plan = planSweep(spec);
    CHECK(plan.parameters == std::vector<std::string>{"/cameras/count", "/demand/vehicles"});
    CHECK(plan.points == 6);
    REQUIRE(plan.runs.size() == 12);
    CHECK(plan.runs[0].values == std::vector<json>{1, 10});
    CHECK(plan.runs[0].seed == 5);
    CHECK(plan.runs[1].values == std::vector<json>{1, 10});
    CHECK(plan.runs[1].seed == 6);
    CHECK(plan.runs[2].values == std::vector<json>{1, 20});
    CHECK(plan.runs[11].values == std::vector<json>{2, 30});
    CHECK(plan.runs[11].scenario["cameras"]["count"] == 2);
    CHECK(plan.runs[11].scenario["demand"]["vehicles"] == 30);
    CHECK(plan.runs[11].scenario["seed"] == 6);
    CHECK(plan.runs[11].scenario["cameras"]["agency"] == "A");  // the rest is the base's
    CHECK(plan.runs[11].id.rfind("p0005-s6-", 0) == 0);
    std::set<std::string> ids;
    for (const auto& r : plan.runs) ids.insert(r.id);
    CHECK(ids.size() == 12);
}

TEST_CASE("Zipped lists vary together; without seeds the base's seed is used", "[plan]") {
    SweepFolder f("zip");
    const SweepPlan plan = planSweep(loadSweepSpec(f.write(json::parse(R"({"name": "z", "base": "base.json",
        "zip": [{"path": "/cameras/count", "values": [1, 2, 3]}, {"path": "/simulation/model", "values": ["microscopic", "mesoscopic", "microscopic"]}]})"))));
    REQUIRE(plan.runs.size() == 3);
    CHECK(plan.runs[1].values == std::vector<json>{2, "mesoscopic"});
    CHECK(plan.runs[1].scenario["simulation"]["model"] == "mesoscopic");  // a missing section is created
    CHECK(plan.runs[1].seed == 9);
}

TEST_CASE("Run ids are stable, and change when the scenario they run changes", "[plan]") {
    SweepFolder f("ids");
    const json sweep = json::parse(
        R"({"name": "i", "base": "base.json", "grid": [{"path": "/cameras/count", "values": [1, 2]}], "seeds": [1]})");
    const SweepPlan first = planSweep(loadSweepSpec(f.write(sweep)));
    const SweepPlan again = planSweep(loadSweepSpec(f.write(sweep)));
    REQUIRE(first.runs.size() == 2);
    CHECK(first.runs[0].id == again.runs[0].id);
    CHECK(first.runs[1].id == again.runs[1].id);
    std::ofstream(f.dir / "base.json") << R"({"name": "b", "seed": 9, "network": {"osm": "x.osm"},
        "time": {"start_hour": 8, "duration_hours": 1}, "demand": {"model": "random-od", "vehicles": 10},
        "cameras": {"agency": "A", "placement": "busiest-edges", "count": 2}})";
    const SweepPlan edited = planSweep(loadSweepSpec(f.write(sweep)));
    CHECK(edited.runs[0].id != first.runs[0].id);
    CHECK(edited.runs[0].id.substr(0, 9) == first.runs[0].id.substr(0, 9));  // same point and seed
}

TEST_CASE("Bad sweep files name the file, the JSON path and what was expected", "[plan]") {
    SweepFolder f("errors");
    const json good = json::parse(
        R"({"name": "e", "base": "base.json", "grid": [{"path": "/cameras/count", "values": [1, 2]}], "seeds": [1, 2]})");
    struct Case {
        std::string what;
        std::function<void(json&)> mutate;
        std::string where;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"missing base file", [](json& j) { j["base"] = "nope.json"; }, "/base", "existing scenario file"},
        {"path not a pointer", [](json& j) { j["grid"][0]["path"] = "cameras.count"; }, "/grid/0/path", "JSON pointer"},
        {"no values", [](json& j) { j["grid"][0]["values"] = json::array(); }, "/grid/0/values", "at least one value"},
        {"unknown key", [](json& j) { j["grid"][0]["value"] = 1; }, "/grid/0/value", "known field"},
        {"seed varied with seeds", [](json& j) { j["grid"][0]["path"] = "/seed"; }, "/grid/0/path", "not /seed"},
        {"negative seed", [](json& j) { j["seeds"][1] = -3; }, "/seeds/1", "whole number"},
        {"repeated seed", [](json& j) { j["seeds"][1] = 1; }, "/seeds/1", "distinct"},
        {"overlapping paths", [](json& j) { j["zip"] = json::parse(R"([{"path": "/cameras", "values": [{}, {}]}])"); },
         "/zip/0/path", "overlaps"},
        {"zip lengths differ",
         [](json& j) {
             j["zip"] =
                 json::parse(R"([{"path": "/time/start_hour", "values": [1, 2]}, {"path": "/demand/vehicles", "values": [1]}])");
         },
         "/zip/1/values", "as many values"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        json j = good;
        c.mutate(j);
        const InputError e = f.rejection(j);
        CHECK(e.where() == c.where);
        CHECK(contains(e.what(), c.expected));
    }
}

TEST_CASE("A parameter path that cannot be set in the base is named", "[plan]") {
    SweepFolder f("unsettable");
    const SweepSpec spec = loadSweepSpec(f.write(json::parse(R"({"name": "u", "base": "base.json",
        "grid": [{"path": "/cameras/agency/x", "values": [1]}]})")));
    try {
        planSweep(spec);
        FAIL("planned a run with a path through a string");
    } catch (const InputError& e) {
        CHECK(e.file() == spec.file.string());
        CHECK(e.where() == "/grid/0/path");
    }
}

TEST_CASE("A run's command line carries its share of the cores when it has one", "[sweep]") {
    RunTask task{"r1", "/s/r1.json", "/o/runs/r1", "/o/logs/r1.log", {}};
    CHECK(runCommand("/bin/alprsim", task) ==
          std::vector<std::string>{"/bin/alprsim", "run", "/s/r1.json", "--out", "/o/runs/r1", "--force"});
    CHECK(runCommand("/bin/alprsim", task, 1) ==
          std::vector<std::string>{"/bin/alprsim", "run", "/s/r1.json", "--out", "/o/runs/r1", "--force", "--threads", "1"});
}

TEST_CASE("A Slurm job script: one array task per run, extra arguments passed, tasks at once limited", "[sweep][slurm]") {
    const std::vector<RunTask> days = {{"day-0", "/s/m.json", "/o/days/day-0", "/o/days/day-0.log", {"--only-day", "0"}},
                                       {"day-1", "/s/m.json", "/o/days/day-1", "/o/days/day-1.log", {"--only-day", "1"}},
                                       {"day-2", "/s/m.json", "/o/days/day-2", "/o/days/day-2.log", {"--only-day", "2"}}};
    SlurmOptions options;
    const std::string sweep = SlurmBackend("/bin/alprsim", "/o/slurm", options).jobScript(days);
    CHECK(sweep.find("#SBATCH --array=0-2\n") != std::string::npos);
    CHECK(sweep.find("#SBATCH --job-name=alprsim-sweep\n") != std::string::npos);
    // The task's fields after the log (its extra arguments) follow the run's own.
    CHECK(sweep.find("--threads \"${SLURM_CPUS_PER_TASK:-1}\" \"${task[@]:4}\"") != std::string::npos);
    options.maxRunning = 2;
    options.label = "days";
    const std::string daysScript = SlurmBackend("/bin/alprsim", "/o/slurm", options).jobScript(days);
    CHECK(daysScript.find("#SBATCH --array=0-2%2\n") != std::string::npos);
    CHECK(daysScript.find("#SBATCH --job-name=alprsim-days\n") != std::string::npos);
}

TEST_CASE("A run whose path holds a tab is refused before anything is submitted", "[sweep][slurm]") {
    const std::filesystem::path jobDir = std::filesystem::current_path() / "tmp-slurm-tab";
    const std::vector<RunTask> tasks = {{"r1", "/s/a\tb.json", "/o/runs/r1", "/o/logs/r1.log", {}}};
    SlurmBackend backend("/bin/alprsim", jobDir, SlurmOptions{});
    CHECK_THROWS_WITH(backend.execute(tasks), Catch::Contains("run r1: '/s/a\tb.json' cannot go into a Slurm task list"));
    CHECK_FALSE(std::filesystem::exists(jobDir / "job.sh"));
}
