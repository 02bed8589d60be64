// A run's figures beside the field record's bands (analysis/field_record.h).
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "analysis/field_record.h"

using namespace alprsim;
using nlohmann::json;

namespace {
const json& row(const json& table, const std::string& figure) {
    for (const json& r : table)
        if (r.at("figure") == figure) return r;
    throw std::logic_error("no row " + figure);
}

// A 4-hour patrol-and-fixed run: 1,000 reads of 1,250 captures (80% read), 25 misread.
json patrolRun() {
    return json::parse(R"({
        "simulated": {"begin_s": 21600, "end_s": 36000, "recognition": "calibrated"},
        "counts": {"reads": 1000, "captures_not_read": 250, "reads_misread": 25},
        "sensing": {"fixed": {"cameras": 2, "captured": 250},
                    "patrol": {"captured": 1000, "patrol_hours": 4.0}},
        "hot_list": {"alerts": 40, "hit_share": 0.04, "false_alert_share": 0.1}
    })");
}
}  // namespace

TEST_CASE("every band has a source and a range that holds its typical values", "[analysis][field]") {
    std::set<std::string> figures;
    for (const FieldBand& b : fieldBands()) {
        CHECK(figures.insert(b.figure).second);
        CHECK_FALSE(b.sources.empty());
        CHECK(b.low <= b.typicalLow);
        CHECK(b.typicalLow <= b.typicalHigh);
        CHECK(b.typicalHigh <= b.high);
    }
    CHECK(figures.size() == 5);
}

TEST_CASE("a run's figures are measured as reads, not captures, and set beside their bands", "[analysis][field]") {
    const json table = compareWithFieldRecord(patrolRun());
    REQUIRE(table.size() == fieldBands().size());
    const json& patrol = row(table, "reads_per_patrol_hour");
    CHECK(patrol.at("simulated").get<double>() == Approx(200.0));  // 1000 captures x 0.8 read / 4 hours
    CHECK(patrol.at("inside") == false);
    CHECK(patrol.at("band") == json::array({400.0, 900.0}));
    CHECK(patrol.at("note").get<std::string>().find("thinner than real ones") != std::string::npos);
    json busy = patrolRun();
    busy["sensing"]["patrol"]["captured"] = 6000;  // 1,200 reads an hour
    const json busyTable = compareWithFieldRecord(busy);
    const json& above = row(busyTable, "reads_per_patrol_hour");
    CHECK(above.at("inside") == false);
    CHECK(above.at("note").get<std::string>().find("Above the record") != std::string::npos);
    json inBand = patrolRun();
    inBand["sensing"]["patrol"]["captured"] = 4000;  // 800 reads an hour
    const json inBandTable = compareWithFieldRecord(inBand);
    const json& inside = row(inBandTable, "reads_per_patrol_hour");
    CHECK(inside.at("inside") == true);
    CHECK(inside.at("note").get<std::string>().find("Inside the record") != std::string::npos);
    CHECK(inside.at("note").get<std::string>().find("thinner") == std::string::npos);
    const json& fixed = row(table, "reads_per_fixed_camera_day");
    CHECK(fixed.at("simulated").get<double>() == Approx(250 * 0.8 / 2 * 6));  // a 4-hour rate scaled to 24 hours
    CHECK(fixed.at("inside") == false);
    CHECK(fixed.at("note").get<std::string>().find("4.0 simulated hours") != std::string::npos);
    CHECK(row(table, "hit_share_of_reads").at("inside") == false);  // 4%, far above Maryland's 0.2%
    CHECK(row(table, "false_alert_share_of_hits").at("simulated").get<double>() == Approx(0.1));
    CHECK(row(table, "false_alert_share_of_hits").at("inside") == true);
    CHECK(row(table, "misread_share_of_reads").at("simulated").get<double>() == Approx(0.025));
    CHECK(row(table, "misread_share_of_reads").at("inside") == true);
}

TEST_CASE("figures a run cannot measure are null, and thin or perfect figures say why", "[analysis][field]") {
    json run = patrolRun();
    run.erase("sensing");
    run["hot_list"] = json{{"alerts", 3}, {"hit_share", 0.001}, {"false_alert_share", 0.0}};
    run["simulated"]["recognition"] = "perfect";
    const json table = compareWithFieldRecord(run);
    CHECK(row(table, "reads_per_patrol_hour").at("simulated").is_null());
    CHECK(row(table, "reads_per_patrol_hour").at("inside").is_null());
    CHECK(row(table, "reads_per_fixed_camera_day").at("simulated").is_null());
    CHECK(row(table, "false_alert_share_of_hits").at("note").get<std::string>().find("Only 3 alerts") != std::string::npos);
    CHECK(row(table, "misread_share_of_reads").at("note").get<std::string>().find("upper bound") != std::string::npos);
    run.erase("hot_list");
    CHECK(row(compareWithFieldRecord(run), "hit_share_of_reads").at("simulated").is_null());
}
