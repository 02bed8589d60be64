// Parsing the scenario's store settings: durations, retention, sharing, hot list, and errors
// that name the JSON path of the mistake.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

#include "core/error.h"
#include "store/store_network.h"

using namespace alprsim;
using nlohmann::json;

TEST_CASE("durations parse in the units retention rules use", "[store][retention]") {
    CHECK(parseDuration("3m") == 180.0);
    CHECK(parseDuration("48h") == 48 * 3600.0);
    CHECK(parseDuration("21d") == 21 * 86400.0);
    CHECK(parseDuration("2w") == 14 * 86400.0);
    CHECK(parseDuration("1y") == 365 * 86400.0);
    CHECK(parseDuration("1.5y") == 1.5 * 365 * 86400.0);
    CHECK(parseDuration("90s") == 90.0);
    CHECK(std::isinf(*parseDuration("forever")));
    for (const char* bad : {"", "3", "m", "-1d", "3x", "1.5.2d", "3 m", "forevermore", "d3"}) {
        INFO(bad);
        CHECK_FALSE(parseDuration(bad).has_value());
    }
}

TEST_CASE("formatted durations parse back to the same seconds", "[store][retention]") {
    for (const char* text : {"3m", "48h", "21d", "30d", "60d", "180d", "1y", "5y", "forever", "1.5y", "0.25s"}) {
        const double seconds = *parseDuration(text);
        INFO(text << " -> " << formatDuration(seconds));
        CHECK(parseDuration(formatDuration(seconds)) == seconds);
    }
    CHECK(formatDuration(86400.0 * 30) == "30d");
    CHECK(formatDuration(86400.0 * 14) == "2w");
}

TEST_CASE("retention JSON defaults hits to reads and rejects hits kept shorter", "[store][retention]") {
    const RetentionPolicy p = RetentionPolicy::fromJson(json{{"reads", "30d"}}, "s.json", "/stores/retention");
    CHECK(p.readsSeconds == 30 * 86400.0);
    CHECK(p.hitsSeconds == p.readsSeconds);
    CHECK(RetentionPolicy::fromJson(p.toJson(), "x", "") == p);
    CHECK(p.oldestKept(40 * 86400.0, false) == 10 * 86400.0);

    try {
        RetentionPolicy::fromJson(json{{"reads", "1y"}, {"hits", "30d"}}, "s.json", "/stores/retention");
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(e.file() == "s.json");
        CHECK(e.where() == "/stores/retention/hits");
    }
    try {
        RetentionPolicy::fromJson(json{{"reads", "3 months"}}, "s.json", "/stores/retention");
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(e.where() == "/stores/retention/reads");
    }
    const RetentionPolicy forever = RetentionPolicy::fromJson(json{{"reads", "forever"}}, "s.json", "");
    CHECK(forever.oldestKept(1e9, false) < -1e300);  // finite, so SQLite can compare with it
}

TEST_CASE("store settings read every part of the scenario's stores section", "[store][settings]") {
    const json j = json::parse(R"({
        "sharing": {"mode": "pooled", "participants": ["Lowell", "Boston", "Boston"]},
        "retention": {"reads": "30d", "hits": "1y"},
        "retention_by_agency": {"Lowell": {"reads": "180d"}},
        "state_retention": {"reads": "1y", "hits": "5y"},
        "hot_list": {"share": 0.002, "reasons": {"wanted": 3, "stolen": 1}, "listed_at": "1d"}
    })");
    const StoreSettings s = StoreSettings::fromJson(j, "scenario.json", "/stores");
    CHECK(s.sharing.mode == SharingMode::Pooled);
    REQUIRE(s.sharing.participants.has_value());
    CHECK(*s.sharing.participants == std::vector<std::string>{"Boston", "Lowell"});
    CHECK(s.sharing.agreements.empty());
    const SharingPolicy agreed = SharingPolicy::fromJson(
        json::parse(R"({"mode": "local", "agreements": {"Cambridge": ["Somerville", "Boston", "Boston"]}})"), "s.json",
        "/sharing");
    CHECK(agreed.sharesWith("Cambridge") == std::vector<std::string>{"Boston", "Somerville"});
    CHECK(SharingPolicy::fromJson(agreed.toJson(), "s.json", "").agreements == agreed.agreements);
    CHECK(s.retention.readsSeconds == 30 * 86400.0);
    CHECK(s.retention.hitsSeconds == 365 * 86400.0);
    CHECK(s.retentionByAgency.at("Lowell").readsSeconds == 180 * 86400.0);
    CHECK(s.stateRetention.hitsSeconds == 5 * 365 * 86400.0);
    CHECK(s.hotList.share == 0.002);
    CHECK(s.hotList.listedAt == 86400.0);
    REQUIRE(s.hotList.reasons.size() == 2);
    CHECK(s.hotList.reasons[0] == std::pair<std::string, double>{"stolen", 1.0});

    const StoreSettings defaults = StoreSettings::fromJson(json::object(), "scenario.json", "/stores");
    CHECK(defaults.sharing.mode == SharingMode::Local);
    CHECK(std::isinf(defaults.retention.readsSeconds));
    CHECK(defaults.hotList.share == 0.0);
    CHECK(defaults.hotList.refreshSeconds == 86400.0);  // the documented defaults (docs/hot-lists-and-field-record.md)
    CHECK(defaults.hotList.statesReadShare == 0.5);

    const StoreSettings stateFollows =
        StoreSettings::fromJson(json{{"retention", {{"reads", "48h"}}}}, "scenario.json", "/stores");
    CHECK(stateFollows.stateRetention == stateFollows.retention);
}

TEST_CASE("hot-list settings read the causes of false alerts", "[store][settings]") {
    const json j = json::parse(R"({"share": 0.002, "same_characters_elsewhere": 0.7, "states_read_share": 0.25,
                                   "cleared_per_day": 0.05, "refresh": "12h"})");
    const HotListSpec spec = HotListSpec::fromJson(j, "scenario.json", "/stores/hot_list");
    CHECK(spec.sameCharactersElsewhere == 0.7);
    CHECK(spec.statesReadShare == 0.25);
    CHECK(spec.clearedPerDay == 0.05);
    CHECK(spec.refreshSeconds == 12 * 3600.0);
    CHECK(std::isinf(HotListSpec::fromJson(json{{"share", 0.1}, {"refresh", "forever"}}, "s.json", "").refreshSeconds));
}

TEST_CASE("store settings errors name the JSON path", "[store][settings]") {
    const auto whereOf = [](const json& j) {
        try {
            StoreSettings::fromJson(j, "scenario.json", "/stores");
        } catch (const InputError& e) {
            return e.where();
        }
        return std::string("no error");
    };
    CHECK(whereOf(json{{"retension", {{"reads", "1d"}}}}) == "/stores/retension");
    CHECK(whereOf(json{{"sharing", {{"mode", "shared"}}}}) == "/stores/sharing/mode");
    CHECK(whereOf(json{{"sharing", {{"mode", "pooled"}, {"participants", {"Boston", 3}}}}}) == "/stores/sharing/participants/1");
    CHECK(whereOf(json{{"sharing", {{"mode", "local"}, {"agreements", {{"Boston", {"Boston"}}}}}}}) ==
          "/stores/sharing/agreements/Boston");
    CHECK(whereOf(json{{"sharing", {{"mode", "local"}, {"agreements", {{"Boston", "Cambridge"}}}}}}) ==
          "/stores/sharing/agreements/Boston");
    CHECK(whereOf(json{{"hot_list", {{"share", 1.5}}}}) == "/stores/hot_list/share");
    CHECK(whereOf(json{{"hot_list", {{"share", 0.1}, {"reasons", {{"stolen", -1}}}}}}) == "/stores/hot_list/reasons/stolen");
    CHECK(whereOf(json{{"hot_list", {{"share", 0.1}, {"states_read_share", 1.5}}}}) == "/stores/hot_list/states_read_share");
    CHECK(whereOf(json{{"hot_list", {{"share", 0.1}, {"same_characters_elsewhere", -1}}}}) ==
          "/stores/hot_list/same_characters_elsewhere");
    CHECK(whereOf(json{{"hot_list", {{"share", 0.1}, {"cleared_per_day", "often"}}}}) == "/stores/hot_list/cleared_per_day");
    CHECK(whereOf(json{{"hot_list", {{"share", 0.1}, {"refresh", "daily"}}}}) == "/stores/hot_list/refresh");
    CHECK(whereOf(json{{"retention_by_agency", {{"Lowell", {{"reads", "soon"}}}}}}) ==
          "/stores/retention_by_agency/Lowell/reads");
    CHECK(whereOf(json::array()) == "/stores");
}
