// Day parts and their merge, without day processes: the sensing summaries of days add up, and a
// day part's outcomes go back into the run's log (or are refused, naming the file).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "pipeline/day_parts.h"
#include "sim/road_network.h"
#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

TEST_CASE("Days' sensing summaries merge: counts add, medians of medians, rates from the totals", "[pipeline]") {
    const json monday = {{"fixed", {{"cameras", 8}, {"captures", 10}, {"median_plate_width_px", 20.0}}},
                         {"patrol",
                          {{"patrol_hours", 2.0},
                           {"reads_per_patrol_hour", 5.0},
                           {"captured_moving", 6},
                           {"captured_parked", 4},
                           {"cars", {{{"id", "p1"}, {"reads", 10}, {"hours_on_road", 2.0}, {"reads_per_hour", 5.0}}}}}}};
    const json tuesday = {{"fixed", {{"cameras", 8}, {"captures", 5}, {"median_plate_width_px", 31.0}}},
                          {"patrol",
                           {{"patrol_hours", 3.0},
                            {"reads_per_patrol_hour", 10.0},
                            {"captured_moving", 24},
                            {"captured_parked", 6},
                            {"cars", {{{"id", "p1"}, {"reads", 30}, {"hours_on_road", 3.0}, {"reads_per_hour", 10.0}}}}}}};
    const json merged = mergeSensingSummaries({monday, tuesday});
    CHECK(merged["fixed"]["cameras"] == 8);  // the same cameras each day
    CHECK(merged["fixed"]["captures"] == 15);
    CHECK(merged["fixed"]["median_plate_width_px"] == 31.0);  // the upper median (core/median.h) of the days' medians
    CHECK(merged["patrol"]["patrol_hours"] == 5.0);
    REQUIRE(merged["patrol"]["cars"].size() == 1);
    CHECK(merged["patrol"]["cars"][0]["reads"] == 40);
    CHECK(merged["patrol"]["cars"][0]["reads_per_hour"] == 8.0);
    CHECK(merged["patrol"]["reads_per_patrol_hour"] == 8.0);
    // The moving and parked rates too, as a run in one process gives them.
    CHECK(merged["patrol"]["moving_reads_per_patrol_hour"] == 6.0);
    CHECK(merged["patrol"]["parked_reads_per_patrol_hour"] == 2.0);
    CHECK(mergeSensingSummaries({}) == json::object());
}

TEST_CASE("Days' patrol figures merge per car and per agency, the agency named once", "[pipeline]") {
    const auto day = [](double bostonHours, int bostonReads, double everettHours, int everettReads) {
        const auto car = [](const char* id, const char* agency, double hours, int reads) {
            return json{{"id", id}, {"agency", agency}, {"hours_on_road", hours}, {"reads", reads}, {"reads_per_hour", 1.0}};
        };
        const auto fleet = [](double hours, int reads) {
            return json{{"patrol_hours", hours}, {"reads", reads}, {"reads_per_patrol_hour", 1.0}};
        };
        return json{
            {"patrol",
             {{"patrol_hours", bostonHours + everettHours},
              {"reads_per_patrol_hour", 1.0},
              {"cars",
               {car("boston-patrol01", "Boston", bostonHours, bostonReads),
                car("everett-patrol01", "Everett", everettHours, everettReads)}},
              {"by_agency", {{"Boston", fleet(bostonHours, bostonReads)}, {"Everett", fleet(everettHours, everettReads)}}}}}};
    };
    const json patrol = mergeSensingSummaries({day(2.0, 10, 4.0, 40), day(3.0, 30, 4.0, 20)})["patrol"];
    REQUIRE(patrol["cars"].size() == 2);
    CHECK(patrol["cars"][0]["agency"] == "Boston");
    CHECK(patrol["cars"][1]["agency"] == "Everett");
    CHECK(patrol["cars"][1]["reads_per_hour"] == 7.5);
    CHECK(patrol["by_agency"]["Boston"]["patrol_hours"] == 5.0);
    CHECK(patrol["by_agency"]["Boston"]["reads"] == 40);
    CHECK(patrol["by_agency"]["Boston"]["reads_per_patrol_hour"] == 8.0);  // from the totals, not the days' rates
    CHECK(patrol["by_agency"]["Everett"]["reads_per_patrol_hour"] == 7.5);
    CHECK(patrol["reads_per_patrol_hour"] == 7.69);
}

TEST_CASE("A day part's outcomes go back into the run's log, and a trip it did not plan is refused", "[pipeline]") {
    const fs::path dir = test::freshDir("pipeline-day-part");
    const RoadNetwork network(std::vector<RoadEdge>{});
    TripPlan plan;
    plan.trip = "t1";
    plan.day = 1;
    TripLog dayProcessLog({plan});
    REQUIRE(dayProcessLog.setOutcome("t1", 90000, 90600, false));
    writeDayPart(dir, 1, dayProcessLog.trips(), {3, 2, 1, 4, 100, 91000}, json{{"fixed", {{"captures", 7}}}}, network);

    TripLog runLog({plan});
    const DayPart part = readDayPart(dir, runLog, network);
    CHECK(part.day == 1);
    CHECK(part.counts.reads == 3);
    CHECK(part.counts.noRead == 4);
    CHECK(part.counts.endSeconds == 91000);
    CHECK(part.sensing["fixed"]["captures"] == 7);
    CHECK(runLog.find("t1")->depart == 90000);
    CHECK(runLog.find("t1")->arrive == 90600);

    plan.trip = "another";
    TripLog otherLog({plan});
    try {
        readDayPart(dir, otherLog, network);
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(e.file() == (dir / "outcomes.csv").string());
    }
}
