// Calibrated recognition stands in for the full pipeline in the simulation's own runs (issue
// #27, item 2): quick.json is run in both modes, and their no-read and misread shares and
// per-camera read counts must agree. Tolerances are relative to the full run's rates, so that a
// model that never misreads (or never fails to read) does not pass, widened by the sampling
// error of a run this small (quick has ~430 captures and its full run misreads a few);
// test_error_model.cpp holds both shares on a held-out set large enough to tell.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <vector>
#include <nlohmann/json.hpp>

#include "store/read_store.h"
#include "tests/support/process.h"

using namespace alprsim;
using nlohmann::json;

namespace {

struct ModeRun {
    double captures = 0, noRead = 0, misread = 0;
    std::map<std::string, double> readsByCamera;
};

ModeRun runQuickIn(const std::string& dir, const std::string& mode) {
    const std::string scenario = dir + "/quick-" + mode + ".json";
    std::ofstream(scenario)
        << json{{"extends", test::sourceDir() + "/scenarios/quick.json"}, {"recognition", {{"mode", mode}}}}.dump();
    const std::string out = dir + "/" + mode;
    const auto run = test::runProcess({test::alprsimBinary(), "run", scenario, "--out", out});
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    const json counts = json::parse(test::readFile(out + "/results.json"))["counts"];
    ModeRun r;
    r.noRead = counts["captures_not_read"].get<double>();
    r.misread = counts["reads_misread"].get<double>();
    r.captures = counts["reads"].get<double>() + r.noRead;
    const ReadStore store = ReadStore::open(out + "/reads.sqlite");
    for (const CameraRecord& c : store.cameras()) r.readsByCamera[c.id] = 0;
    store.forEachReadWithTruth([&](const Read& read, const ReadTruth&) { r.readsByCamera[read.camera] += 1; });
    return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) ma += a[i] / a.size(), mb += b[i] / b.size();
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// The binomial standard error of a share p of n.
double standardError(double p, double n) { return std::sqrt(p * (1 - p) / n); }

}  // namespace

TEST_CASE("calibrated recognition agrees with full on quick.json: no-read and misread shares, reads per camera",
          "[recognition][calibrated][e2e]") {
    const std::string dir = test::freshDir("calibrated-vs-full");
    const ModeRun full = runQuickIn(dir, "full");
    const ModeRun calibrated = runQuickIn(dir, "calibrated");
    REQUIRE(full.captures > 300);
    // The same traffic and cameras: recognition comes after capture.
    REQUIRE(calibrated.captures == full.captures);

    const double n = full.captures;
    const double fullNoRead = full.noRead / n, calNoRead = calibrated.noRead / n;
    const double fullMisread = full.misread / n, calMisread = calibrated.misread / n;
    INFO("no-read: full " << fullNoRead << " calibrated " << calNoRead << "; misread: full " << fullMisread << " calibrated "
                          << calMisread << " (" << n << " captures)");
    // The full pipeline fails on some of the captures: if it stopped, there would be nothing to
    // compare. Misreads are rarer (0.84% on brookline-baseline: about 4 expected here, none in
    // 3% of draws), so at least one in the two runs together.
    REQUIRE(full.noRead >= 10);
    REQUIRE(full.misread + calibrated.misread >= 1);
    // No-read within a fifth of the full rate (2 points at quick's ~10%: the target),
    // misread within half of it; each widened by two binomial standard errors, since the
    // calibrated run draws once a capture (on quick's ~430 captures that draw alone moves the
    // no-read share by 1.5 points, and quick's full run misreads a handful). The issue's
    // 2-point target is measured on brookline-baseline's 13,000 captures, by
    // bench/recognition/full_vs_calibrated.sh.
    CHECK(std::abs(calNoRead - fullNoRead) <= 0.2 * fullNoRead + 2 * standardError(fullNoRead, n));
    // The misread's error from the two runs' pooled share, for the difference of two draws: a
    // share's own standard error is 0 when a run of 432 captures happens to misread none.
    const double pooledMisread = (full.misread + calibrated.misread) / (2 * n);
    CHECK(std::abs(calMisread - fullMisread) <= 0.5 * fullMisread + 2 * std::sqrt(2.0) * standardError(pooledMisread, n));
    CHECK(calibrated.misread >= 1);  // a model that never misreads fails here

    std::vector<double> a, b;
    for (const auto& [camera, reads] : full.readsByCamera) {
        a.push_back(reads);
        b.push_back(calibrated.readsByCamera.at(camera));
    }
    REQUIRE(a.size() == 8);
    CHECK(pearson(a, b) >= 0.95);
}
