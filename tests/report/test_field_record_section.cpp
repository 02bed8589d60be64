// The "Against the field record" section: figures beside their bands, false alerts by cause,
// and plain words when a run read plates perfectly.
#include <catch2/catch.hpp>

#include "report/field_record_section.h"

using namespace alprsim::report;
using nlohmann::json;

namespace {
RunFacts run(const std::string& label, const std::string& recognition) {
    RunFacts r;
    r.label = label;
    r.recognitionMode = recognition;
    r.fieldRecord = json::array({{{"figure", "reads_per_patrol_hour"},
                                  {"words", "plates read per patrol-car hour"},
                                  {"simulated", 180.4},
                                  {"band", {400, 900}},
                                  {"typical", {500, 786}},
                                  {"unit", "reads/hour"},
                                  {"inside", false},
                                  {"sources", {"Chelsea MA cruiser, 2013: 786 plates in an hour"}},
                                  {"note", "Patrol cars here drive between random destinations."}},
                                 {{"figure", "false_alert_share_of_hits"},
                                  {"words", "hot-list alerts that were false"},
                                  {"simulated", 0.15},
                                  {"band", {0.05, 0.35}},
                                  {"typical", {0.10, 0.20}},
                                  {"unit", "share"},
                                  {"inside", true},
                                  {"sources", {"San Leandro <report>"}},
                                  {"note", ""}},
                                 {{"figure", "hit_share_of_reads"},
                                  {"words", "hot-list hits per read"},
                                  {"simulated", nullptr},
                                  {"band", {0.00028, 0.002}},
                                  {"typical", {0.00028, 0.002}},
                                  {"unit", "share"},
                                  {"inside", nullptr},
                                  {"sources", json::array()},
                                  {"note", "No hot list in this run."}}});
    return r;
}
}  // namespace

TEST_CASE("each figure stands beside its field band, source and reason", "[report][field]") {
    RunFacts r = run("q4-hotlist-patrol-shift-4", "calibrated");
    r.alerts = 20;
    r.falseAlertsByCause = {{"misread", 1}, {"same_characters", 2}, {"stale", 0}};
    const std::string html = fieldRecordSection({r});
    INFO(html);
    CHECK(html.find("<h2>Against the field record</h2>") != std::string::npos);
    CHECK(html.find("<td>plates read per patrol-car hour</td><td>180</td><td>400 to 900 (most sources 500 to 786)</td><td>no</td>"
                    "<td>Chelsea MA cruiser, 2013: 786 plates in an hour</td>") != std::string::npos);
    CHECK(html.find("<td>15.0%</td><td>5.0% to 35.0% (most sources 10.0% to 20.0%)</td><td>yes</td><td>San Leandro "
                    "&lt;report&gt;</td>") != std::string::npos);
    CHECK(html.find("<td>hot-list hits per read</td><td>not measured</td><td>0.028% to 0.2%</td><td>-</td>") !=
          std::string::npos);
    CHECK(html.find(
              "3 of 20 hot-list alerts were false (1 misreads that spelled a listed plate, 2 plates with a listed plate&#39;s "
              "characters, matched without their state, 0 entries already cleared") != std::string::npos);
    CHECK(html.find("perfect recognition") == std::string::npos);
}

TEST_CASE("a run that read plates perfectly is named as an upper bound", "[report][field]") {
    const std::string html = fieldRecordSection({run("brookline-baseline", "perfect"), run("quick", "full")});
    CHECK(html.find("brookline-baseline used perfect recognition: every plate read right, an upper bound") != std::string::npos);
    CHECK(fieldRecordSection({RunFacts{}}).empty());
}
