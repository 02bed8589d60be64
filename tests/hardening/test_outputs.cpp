// What a scenario names ends up in files (issue #10): a run whose scenario name, camera ids and
// hot-list reasons are made of path tricks and markup writes only inside its output folder,
// and every writer escapes them: JSON and GeoJSON by their encoder, CSV by quoting, HTML by
// entities, SQLite through bound parameters.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/csv.h"
#include "tests/support/process.h"
#include "tests/support/text.h"

namespace fs = std::filesystem;
using alprsim::test::contains;
using nlohmann::json;

namespace {
const std::string kHostileName = "../../escaped \"<b>bold</b>\", 'quoted' & <script>alert(1)</script>";
const std::string kHostileCamera = "../../../outside/cam,\"1\"</script><img src=x>";
const std::string kHostileReason = "stolen</td><b>";

json hostileScenario() {
    json s = json::parse(alprsim::test::readFile(alprsim::test::sourceDir() + "/scenarios/quick.json"));
    s["name"] = kHostileName;
    s["description"] = kHostileName;
    s["demand"]["vehicles"] = 60;
    s["time"]["duration_hours"] = 0.25;
    s["demand"]["depart_window_hours"] = 0.2;
    s["cameras"] = {{"agency", "Boston"},
                    {"placement", "list"},
                    {"sites",
                     {{{"id", kHostileCamera}, {"lat", 42.3653}, {"lon", -71.1250}},
                      {{"id", "plain"}, {"lat", 42.3720}, {"lon", -71.1180}}}}};
    s["stores"] = {{"hot_list", {{"share", 0.5}, {"reasons", {{kHostileReason, 1}}}}}};
    return s;
}

std::vector<fs::path> filesUnder(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    return files;
}

}  // namespace

TEST_CASE("names from a scenario stay inside the output folder and are escaped in every output", "[hardening][escaping]") {
    const fs::path dir = alprsim::test::freshDir("hardening-escaping");
    const fs::path work = dir / "a" / "b";  // so that "../../" from the output folder still lands inside dir
    fs::create_directories(work);
    std::ofstream(work / "s.json") << hostileScenario().dump(2);
    const fs::path out = work / "out";
    const auto run =
        alprsim::test::runProcess({alprsim::test::alprsimBinary(), "run", (work / "s.json").string(), "--out", out.string()});
    INFO(run.output);
    REQUIRE(run.exitCode == 0);

    SECTION("nothing is written outside the output folder") {
        for (const fs::path& f : filesUnder(dir)) {
            const std::string p = f.string();
            INFO(p);
            CHECK((p == (work / "s.json").string() || p.rfind(out.string() + "/", 0) == 0));
        }
    }
    SECTION("JSON and GeoJSON carry the names exactly") {
        const json results = json::parse(alprsim::test::readFile((out / "results.json").string()));
        CHECK(results["scenario"]["name"] == kHostileName);
        const json cameras = json::parse(alprsim::test::readFile((out / "cameras.geojson").string()));
        bool found = false;
        for (const json& f : cameras["features"])
            found = found || f["properties"].dump().find(json(kHostileCamera).dump()) != std::string::npos;
        CHECK(found);
    }
    SECTION("the report page escapes them; its CSV quotes them") {
        const auto html = alprsim::test::runProcess(
            {alprsim::test::alprsimBinary(), "report", out.string(), "-o", (dir / "report.html").string()});
        INFO(html.output);
        REQUIRE(html.exitCode == 0);
        const std::string page = alprsim::test::readFile((dir / "report.html").string());
        CHECK_FALSE(contains(page, "<b>bold</b>"));
        CHECK_FALSE(contains(page, "<script>alert(1)"));
        CHECK_FALSE(contains(page, "<img src=x>"));
        CHECK(
            (contains(page, "&lt;b&gt;bold&lt;/b&gt;") || contains(page, "\\u003cb\\u003ebold")));  // the name is there, escaped

        const auto csv = alprsim::test::runProcess(
            {alprsim::test::alprsimBinary(), "report", out.string(), "--format", "csv", "-o", (dir / "report.csv").string()});
        REQUIRE(csv.exitCode == 0);
        std::istringstream lines(alprsim::test::readFile((dir / "report.csv").string()));
        alprsim::CsvReader table(lines, "report.csv");  // throws on a row wider or narrower than the header
        size_t rows = 0, named = 0;
        while (table.next()) {
            const auto& fields = table.row();
            named += std::count(fields.begin(), fields.end(), kHostileName);
            ++rows;
        }
        CHECK(rows > 0);
        CHECK(named == rows);  // every row names the scenario, as one field
    }
}
