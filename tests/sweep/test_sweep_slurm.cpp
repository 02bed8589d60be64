// `alprsim sweep --backend slurm` through a real one-node Slurm cluster started on this machine
// by tools/slurm-local.sh (tests/support/local_slurm.h).
#include <catch2/catch.hpp>

#include "tests/support/local_slurm.h"
#include "tests/support/text.h"
#include "tests/sweep/sweep_fixture.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

using alprsim::test::contains;

TEST_CASE("A sweep runs as a Slurm array job, one task per run, and is aggregated", "[sweep][slurm]") {
    test::SweepFixture f("slurm");
    const test::LocalSlurm slurm(fs::current_path() / "tmp-slurm-cluster", 16817);
    const fs::path sweep = f.writeSweep(f.cameraSweep({1, 2}));
    const fs::path out = f.dir / "out";

    const auto result = f.sweep(sweep, out, {"--backend", "slurm", "--poll-seconds", "0.5"});
    INFO(result.output);
    REQUIRE(result.exitCode == 0);
    CHECK(contains(result.output, "Submitted Slurm array job "));
    CHECK(contains(result.output, "(4 tasks)"));
    CHECK(contains(result.output, "4 runs; 0 already done, 4 run now, 0 failed"));

    const std::string script = test::readFile((out / "slurm" / "job.sh").string());
    CHECK(contains(script, "#SBATCH --array=0-3\n"));  // no limit on the tasks running at once
    CHECK(contains(script, "#SBATCH --job-name=alprsim-sweep"));
    const json plan = json::parse(test::readFile((out / "sweep.json").string()));
    for (const auto& run : plan["runs"]) {
        const std::string id = run["id"];
        CHECK(fs::exists(out / "runs" / id / "results.json"));
        CHECK(test::readFile((out / "logs" / (id + ".log.exit")).string()) == "0\n");  // written by the array task
    }
    // Each task's Slurm output file exists: the runs really went through slurmd.
    size_t slurmOutputs = 0;
    for (const auto& e : fs::directory_iterator(out / "slurm"))
        slurmOutputs += e.path().filename().string().rfind("slurm-", 0) == 0 ? 1 : 0;
    CHECK(slurmOutputs == 4);

    // Same runs, same summary as the local backend.
    const auto local = f.sweep(sweep, f.dir / "local", {"--jobs", "2"});
    REQUIRE(local.exitCode == 0);
    CHECK(test::readFile((f.dir / "local" / "summary.csv").string()) == test::readFile((out / "summary.csv").string()));

    // A rerun submits nothing.
    const auto rerun = f.sweep(sweep, out, {"--backend", "slurm", "--poll-seconds", "0.5"});
    CHECK(rerun.exitCode == 0);
    CHECK_FALSE(contains(rerun.output, "Submitted"));
    CHECK(contains(rerun.output, "4 already done, 0 run now"));
}
