// The real page from real runs: two quick.json variants (8 cameras under a scenario name that is
// markup, and 3 cameras), reported and opened in headless Chromium. The page writes what it drew
// (and every error, warning and blocked network attempt) into #render-status; we read the DOM
// Chromium dumps after the scripts ran.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* const kMarkupName = "<script>alert(1)</script>";

struct Runs {
    std::string dir, evil, small;
};

std::string writeScenario(const std::string& dir, const std::string& name, int cameras) {
    json s = json::parse(test::readFile(test::sourceDir() + "/scenarios/quick.json"));
    s["name"] = name;
    s["cameras"]["count"] = cameras;
    // The network path is looked up beside the scenario, then in the shared data folder.
    const std::string file = dir + "/" + std::to_string(cameras) + ".json";
    std::ofstream(file) << s.dump(2);
    return file;
}

// The two runs, made once for all test cases (about 1-2 s each).
const Runs& runs() {
    static const Runs made = [] {
        // Per process: ctest runs each test case in its own process, several at once.
        Runs r{test::freshDir("report-runs-" + std::to_string(::getpid())), "", ""};
        r.evil = r.dir + "/evil";
        r.small = r.dir + "/small";
        for (const auto& [out, name, cameras] :
             {std::tuple{r.evil, std::string(kMarkupName), 8}, std::tuple{r.small, std::string("quick-3-cameras"), 3}}) {
            const auto run = test::runProcess({test::alprsimBinary(), "run", writeScenario(r.dir, name, cameras), "--out", out});
            INFO(run.output);
            REQUIRE(run.exitCode == 0);
        }
        return r;
    }();
    return made;
}

test::ProcessResult report(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {test::alprsimBinary(), "report"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::runProcess(argv);
}

std::string chromium() {
    if (const char* path = std::getenv("CHROMIUM"); path && *path) return path;
    return "/usr/bin/chromium";
}

// Chromium with nothing that phones home, a fresh profile, and every host name unresolvable;
// --virtual-time-budget lets the page's asynchronous drawing finish before the DOM is dumped.
std::string dumpDom(const std::string& html, const std::string& profile) {
    const auto run =
        test::runProcess({chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                          "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1200,2400", "--virtual-time-budget=30000",
                          "--dump-dom", "file://" + fs::absolute(html).string()});
    INFO(run.output.substr(0, 4000));
    REQUIRE(run.exitCode == 0);
    return run.output;
}

std::string unescapeText(std::string s) {
    for (const auto& [entity, c] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}})
        for (size_t at = 0; (at = s.find(entity, at)) != std::string::npos; ++at) s.replace(at, std::string(entity).size(), c);
    return s;
}

// The page with the contents of every <tag> element removed (libraries hold strings like "src=").
std::string withoutElementContents(const std::string& html, const std::string& tag) {
    std::string out;
    size_t at = 0;
    while (true) {
        const size_t open = html.find("<" + tag, at);
        if (open == std::string::npos) break;
        const size_t contentStart = html.find('>', open) + 1;
        const size_t close = html.find("</" + tag + ">", contentStart);
        out.append(html, at, contentStart - at);
        at = close;
    }
    return out + html.substr(at);
}

json renderStatus(const std::string& dom) {
    const std::string open = "<pre id=\"render-status\" hidden=\"\">";
    const size_t start = dom.find(open);
    REQUIRE(start != std::string::npos);
    const size_t end = dom.find("</pre>", start);
    REQUIRE(end != std::string::npos);
    const std::string text = unescapeText(dom.substr(start + open.size(), end - start - open.size()));
    INFO("render status: " << text);
    REQUIRE_FALSE(text.empty());  // empty: the page's script never finished
    return json::parse(text);
}

}  // namespace

TEST_CASE("the report page draws its map and charts in headless Chromium, offline and without errors", "[report][chromium]") {
    if (!fs::exists(chromium()))
        FAIL("chromium is not installed at " + chromium() + ": run tools/install-deps.sh (Debian package chromium)");
    const Runs& r = runs();
    const std::string out = test::freshDir("report-page");
    const auto made = report({r.evil, r.small, "--out", out + "/report.html"});
    INFO(made.output);
    REQUIRE(made.exitCode == 0);
    const std::string html = test::readFile(out + "/report.html");

    // The markup in the scenario name is text in the source...
    CHECK(html.find(kMarkupName) == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    // ...and the page's markup links to nothing outside itself (the browser check below covers the scripts).
    const std::string markup = withoutElementContents(withoutElementContents(html, "script"), "style");
    for (const char* external : {"src=", "href=", "<link", "<img", "<iframe"}) CHECK(markup.find(external) == std::string::npos);

    const std::string dom = dumpDom(out + "/report.html", out + "/profile");
    const json status = renderStatus(dom);
    INFO("render status: " << status.dump());
    CHECK(status["done"] == true);
    CHECK(status["errors"].empty());
    CHECK(status["warnings"].empty());
    CHECK(status["blocked"].empty());  // the page's policy stopped no network attempt...
    CHECK(status["resources"] == 0);   // ...and the browser loaded nothing besides the page
    // guard, data, vega, vega-lite, leaflet, glue: no script came in with the scenario name.
    CHECK(status["scripts"] == 6);
    CHECK(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);

    // The map: the road network, every camera of both runs (same roads), the example trip.
    CHECK(status["map"]["roads"] == 1);  // one multi-line path holds every road
    CHECK(status["map"]["cameras"] == 8 + 3);
    CHECK(status["map"]["trip_true"] == 1);

    // Each chart the model could draw drew data marks; the others say why in the page.
    REQUIRE(report({r.evil, r.small, "--format", "json", "--out", out + "/report.json"}).exitCode == 0);
    const json bundle = json::parse(test::readFile(out + "/report.json"));
    REQUIRE(bundle.is_object());
    size_t drawn = 0;
    for (const json& chart : bundle["charts"]) {
        const std::string id = chart["id"];
        if (chart["available"] == true) {
            INFO("chart " << id);
            REQUIRE(status["charts"].contains(id));
            CHECK(status["charts"][id].get<int>() > 0);
            ++drawn;
        } else {
            CHECK(dom.find("id=\"missing-" + id + "\"") != std::string::npos);
        }
    }
    CHECK(drawn >= 2);  // trip coverage for both runs; shares against 8 and 3 cameras
    CHECK(status["charts"].size() == drawn);
}

TEST_CASE("the same runs give the same report, byte for byte", "[report]") {
    const Runs& r = runs();
    const std::string out = test::freshDir("report-determinism");
    REQUIRE(report({r.evil, r.small, "--out", out + "/a.html"}).exitCode == 0);
    REQUIRE(report({r.evil, r.small, "--out", out + "/b.html"}).exitCode == 0);
    CHECK(test::readFile(out + "/a.html") == test::readFile(out + "/b.html"));
}

TEST_CASE("researchers get the numbers as CSV and JSON, equal to results.json", "[report]") {
    const Runs& r = runs();
    const std::string out = test::freshDir("report-bundle");
    REQUIRE(report({r.evil, r.small, "--format", "csv", "--out", out + "/report.csv"}).exitCode == 0);
    REQUIRE(report({r.evil, r.small, "--format", "json", "--out", out + "/report.json"}).exitCode == 0);
    const json results = json::parse(test::readFile(r.small + "/results.json"));
    const json bundle = json::parse(test::readFile(out + "/report.json"));
    REQUIRE(bundle["runs"].size() == 2);
    CHECK(bundle["runs"][1]["id"] == "small");
    CHECK(bundle["runs"][1]["cameras"] == 3);
    CHECK(bundle["runs"][1]["share_linked"] == results["metrics"]["trip_coverage"]["share_linked"]);
    CHECK(bundle["runs"][0]["scenario"] == kMarkupName);  // JSON keeps the name as it is

    const std::string csv = test::readFile(out + "/report.csv");
    CHECK(csv.rfind("run,scenario,seed,cameras,metric,view,retention,retention_s,value\n", 0) == 0);
    const std::string linkedRow =
        "small,quick-3-cameras,7,3,share_linked,,,," + results["metrics"]["trip_coverage"]["share_linked"].dump() + "\n";
    CHECK(csv.find(linkedRow) != std::string::npos);
    CHECK(csv.find("evil,<script>alert(1)</script>,7,8,share_observed,") != std::string::npos);  // the name intact
}

// A run directory holding only a small results.json: enough for the error paths, no simulation.
std::string minimalRun(const std::string& dir) {
    fs::create_directories(dir);
    std::ofstream(dir + "/results.json") << R"({"scenario": {"name": "minimal"}, "counts": {"cameras": 2},
        "metrics": {"trip_coverage": {"share_observed": 0.5, "share_linked": 0.25, "trips_departed": 4}}})";
    return dir;
}

TEST_CASE("report refuses bad input with exit 2, naming the file", "[report]") {
    const std::string out = test::freshDir("report-errors");
    const std::string good = minimalRun(out + "/good");
    const auto notRun = report({out, "--out", out + "/x.html"});
    CHECK(notRun.exitCode == 2);
    CHECK(notRun.output.find(out) != std::string::npos);
    CHECK_FALSE(fs::exists(out + "/x.html"));

    fs::create_directories(out + "/broken");
    std::ofstream(out + "/broken/results.json") << "{\"scenario\": ";
    const auto broken = report({good, out + "/broken", "--out", out + "/x.html"});
    CHECK(broken.exitCode == 2);
    CHECK(broken.output.find(out + "/broken/results.json") != std::string::npos);
}

TEST_CASE("without the installed JavaScript libraries, report says to run the set-up", "[report]") {
    const std::string out = test::freshDir("report-no-assets");
    const std::string run = minimalRun(out + "/run");
    ::setenv("ALPRSIM_REPORT_ASSETS", (out + "/nowhere").c_str(), 1);
    const auto html = report({run, "--out", out + "/x.html"});
    const auto csv = report({run, "--format", "csv", "--out", out + "/x.csv"});  // CSV and JSON need no libraries
    ::unsetenv("ALPRSIM_REPORT_ASSETS");
    INFO(html.output);
    CHECK(html.exitCode == 2);
    CHECK(html.output.find("bootstrap.sh") != std::string::npos);
    CHECK(html.output.find(out + "/nowhere/vega/build/vega.min.js") != std::string::npos);
    CHECK_FALSE(fs::exists(out + "/x.html"));
    CHECK(csv.exitCode == 0);
    CHECK(test::readFile(out + "/x.csv").find("run,minimal,,2,share_linked,,,,0.25\n") != std::string::npos);
}

TEST_CASE("the first sweep's report draws a curve per varied field with its 95% band, in headless Chromium",
          "[report][chromium][sweep]") {
    if (!fs::exists(chromium()))
        FAIL("chromium is not installed at " + chromium() + ": run tools/install-deps.sh (Debian package chromium)");
    const std::string out = test::freshDir("report-first-sweep");
    const auto swept = test::runProcess(
        {test::alprsimBinary(), "sweep", test::sourceDir() + "/sweeps/first-sweep.json", "--out", out + "/sweep"});
    INFO(swept.output);
    REQUIRE(swept.exitCode == 0);
    const auto made = report({out + "/sweep", "--out", out + "/report.html"});
    INFO(made.output);
    REQUIRE(made.exitCode == 0);
    REQUIRE(report({out + "/sweep", "--out", out + "/report.json"}).exitCode == 0);
    const json bundle = json::parse(test::readFile(out + "/report.json"));
    json curve;
    for (const json& chart : bundle["charts"])
        if (chart["id"] == "sweep-0") curve = chart;
    REQUIRE(curve.is_object());
    CHECK(curve["available"] == true);
    CHECK(curve["title"] == "Sweep first-sweep: what changes with Number of cameras");
    // One point per camera count and share, from summary.csv, with its interval.
    const json& values = curve["vega_lite"]["data"]["values"];
    REQUIRE(values.size() >= 4);
    for (const json& v : values) {
        CHECK(v["runs"] == 5);
        CHECK(v["low"].get<double>() <= v["mean"].get<double>());
        CHECK(v["mean"].get<double>() <= v["high"].get<double>());
    }
    CHECK(std::any_of(values.begin(), values.end(),
                      [](const json& v) { return v["high"].get<double>() > v["low"].get<double>(); }));

    const std::string dom = dumpDom(out + "/report.html", out + "/profile");
    const json status = renderStatus(dom);
    INFO("render status: " << status.dump());
    CHECK(status["done"] == true);
    CHECK(status["errors"].empty());
    CHECK(status["warnings"].empty());
    CHECK(status["blocked"].empty());
    REQUIRE(status["charts"].contains("sweep-0"));
    CHECK(status["charts"]["sweep-0"].get<int>() > 0);  // the curve's marks
    CHECK(status["bands"]["sweep-0"].get<int>() > 0);   // the shaded 95% band
    CHECK(dom.find("95% confidence interval") != std::string::npos);
    // The curve leads the page, in plain words too.
    CHECK(dom.find("<h2>What the sweep shows</h2>") < dom.find("<h2>In plain words</h2>"));
    CHECK(dom.find("In sweep first-sweep, the share of car trips seen by two or more cameras") != std::string::npos);
    CHECK(dom.find("(Number of cameras: 2; 95% interval ") != std::string::npos);
}

TEST_CASE("the run page says in plain words what the reads reveal about homes, workplaces and unicity", "[report]") {
    const Runs& r = runs();
    const std::string out = test::freshDir("report-people");
    REQUIRE(report({r.small, "--out", out + "/report.html"}).exitCode == 0);
    const std::string html = test::readFile(out + "/report.html");
    CHECK(html.find("<h2>What the reads say about people</h2>") != std::string::npos);
    CHECK(html.find("class=\"people-home\"") != std::string::npos);
    CHECK(html.find("class=\"people-work\"") != std::string::npos);
    CHECK(html.find("class=\"people-unicity\"") != std::string::npos);
    // quick.json's random trips have no homes: the page says why instead of a number.
    CHECK(html.find("<b>Home</b>: not measured in quick-3-cameras") != std::string::npos);
    // Unicity over the plates read often enough, and over every car of the run: both said.
    CHECK(html.find("of all 300 cars in the run") != std::string::npos);
}
