// An agency's sites leave the other agencies' reads as they were: a capture's recognition draw is
// keyed by its camera's id, and agencies placement numbers each agency's cameras within the
// agency (sensors/placement.h), so one agency's sites renumber, and redraw, no other's (issue #28).
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <vector>

#include "store/read_store.h"
#include "tests/support/process.h"

using namespace alprsim;
using nlohmann::json;

namespace {

// quick.json's network (Allston: Boston and Cambridge roads) and traffic, with Boston's and
// Cambridge's agencies placing their own fixed sites; Boston comes first in the agencies' order.
std::string agenciesScenario(const std::string& dir, size_t bostonSites) {
    json s = json::parse(test::readFile(test::sourceDir() + "/scenarios/quick.json"));
    s["cameras"] = {{"placement", "agencies"}};
    s["agencies"] = {{"min_spacing_m", 300},
                     {"by_agency", {{"Boston", {{"fixed", bostonSites}}}, {"Cambridge", {{"program", "none"}, {"fixed", 3}}}}}};
    const std::string path = dir + "/boston-" + std::to_string(bostonSites) + ".json";
    std::ofstream(path) << s.dump();
    return path;
}

using ReadRow = std::tuple<std::string, double, std::string, std::string>;  // camera, time, plate as read, vehicle

// The run's reads by cameras of `agency`, in time order, and its cameras' ids.
std::vector<ReadRow> readsOf(const std::string& runDir, const std::string& agency, std::set<std::string>& cameraIds) {
    const ReadStore store = ReadStore::open(runDir + "/reads.sqlite");
    for (const CameraRecord& c : store.cameras()) cameraIds.insert(c.id);
    std::set<std::string> ofAgency;
    for (const CameraRecord& c : store.cameras())
        if (c.agency == agency) ofAgency.insert(c.id);
    std::vector<ReadRow> rows;
    store.forEachReadWithTruth([&](const Read& r, const ReadTruth& t) {
        if (ofAgency.count(r.camera)) rows.emplace_back(r.camera, r.time, r.plate, t.vehicle);
    });
    return rows;
}

}  // namespace

TEST_CASE("Adding one agency's fixed sites leaves another agency's camera ids and reads the same", "[e2e][agencies]") {
    const std::string dir = test::freshDir("e2e-agency-camera-ids");
    std::set<std::string> idsWithout, idsWith;
    std::vector<ReadRow> without, with;
    for (size_t boston : {0, 3}) {
        const std::string out = dir + "/out-" + std::to_string(boston);
        const auto r = test::runProcess({test::alprsimBinary(), "run", agenciesScenario(dir, boston), "--out", out});
        INFO(r.output);
        REQUIRE(r.exitCode == 0);
        (boston == 0 ? without : with) = readsOf(out, "Cambridge", boston == 0 ? idsWithout : idsWith);
    }
    CHECK(idsWithout == std::set<std::string>{"cambridge-cam000", "cambridge-cam001", "cambridge-cam002"});
    CHECK(idsWith == std::set<std::string>{"boston-cam000", "boston-cam001", "boston-cam002", "cambridge-cam000",
                                           "cambridge-cam001", "cambridge-cam002"});
    CHECK(without.size() > 20);  // enough of Cambridge's reads that a redraw would show
    CHECK(with == without);
}
