// Absurd inputs (issue #10): each is refused with exit 2 and a message naming the file, the
// field and what was expected, quickly (before anything is simulated or allocated for it).
// The camera count larger than the loaded network is tested in tests/e2e/test_cli_errors.cpp
// ("More cameras than the network has edges ..."); here, a count no network could have.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/process.h"
#include "tests/support/text.h"

namespace fs = std::filesystem;
using alprsim::test::contains;
using alprsim::test::ProcessResult;

namespace {

// A scenario that extends quick.json with `overrides` (the inside of a JSON object).
std::string quickWith(const std::string& overrides) {
    return "{\"extends\": \"" + alprsim::test::sourceDir() + "/scenarios/quick.json\", " + overrides + "}";
}

struct RefusedRun {
    ProcessResult process;
    bool networkConverted = false;  // the run got as far as the network (its own cache folder has it)
};

RefusedRun runScenarioText(const std::string& name, const std::string& text) {
    const std::string dir = alprsim::test::freshDir("hostile-" + name);
    std::ofstream(dir + "/s.json") << text;
    // A cache of its own: whether the network was converted or reused shows there, an event
    // that says how far the run got, where a wall-clock bound would fail on a loaded machine.
    ::setenv("ALPRSIM_CACHE", (dir + "/cache").c_str(), 1);
    RefusedRun r{alprsim::test::runProcess({alprsim::test::alprsimBinary(), "run", dir + "/s.json", "--out", dir + "/out"}),
                 false};
    r.networkConverted = fs::exists(dir + "/cache/nets");
    CHECK_FALSE(fs::exists(dir + "/out"));
    return r;
}

// Refused as bad input, naming the file and the JSON path, in a short message, before the
// network is converted or the simulation started.
void requireRefused(const RefusedRun& r, const std::string& path, const std::string& expectation) {
    INFO(r.process.output.substr(0, 2000));
    CHECK(r.process.exitCode == 2);
    CHECK(contains(r.process.output, "s.json"));
    CHECK(contains(r.process.output, path));
    CHECK(contains(r.process.output, expectation));
    CHECK(r.process.output.size() < 2000);
    CHECK_FALSE(r.networkConverted);
}

std::string nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("a billion vehicles is refused, naming the limit", "[hardening][hostile]") {
    requireRefused(runScenarioText("vehicles", quickWith(R"("demand": {"model": "random-od", "vehicles": 1000000000})")),
                   "/demand/vehicles", "5000000");
}

TEST_CASE("a camera count larger than any network is refused, naming the limit", "[hardening][hostile]") {
    requireRefused(runScenarioText("cameras", quickWith(R"("cameras": {"count": 1000000000})")), "/cameras/count", "100000");
    requireRefused(runScenarioText("cameras-negative", quickWith(R"("cameras": {"count": -5})")), "/cameras/count",
                   "a whole number");
}

TEST_CASE("a retention of -1 is refused, as a number and as a duration", "[hardening][hostile]") {
    requireRefused(runScenarioText("retention-number", quickWith(R"("stores": {"retention": {"reads": -1}})")),
                   "/stores/retention/reads", "a string");
    requireRefused(runScenarioText("retention-text", quickWith(R"("stores": {"retention": {"reads": "-1d"}})")),
                   "/stores/retention/reads", "a duration");
    requireRefused(
        runScenarioText("retention-agency", quickWith(R"("stores": {"retention_by_agency": {"Boston": {"reads": "-1y"}}})")),
        "/stores/retention_by_agency/Boston/reads", "a duration");
}

TEST_CASE("deeply nested JSON is refused before it is parsed, in a scenario and in what it extends", "[hardening][hostile]") {
    // A million levels: without the depth check the JSON library overflowed the stack on them
    // (a segmentation fault, exit 139, instead of a message).
    requireRefused(runScenarioText("nested", "{\"name\": " + nested(1'000'000) + "}"), "s.json", "nested at most 64");

    const std::string dir = alprsim::test::freshDir("hostile-nested-base");
    std::ofstream(dir + "/base.json") << "{\"description\": " << nested(100'000) << "}";
    std::ofstream(dir + "/s.json") << R"({"extends": "base.json", "name": "n"})";
    const auto r = alprsim::test::runProcess({alprsim::test::alprsimBinary(), "run", dir + "/s.json", "--out", dir + "/out"});
    CHECK(r.exitCode == 2);
    CHECK(contains(r.output, "base.json"));
    CHECK(contains(r.output, "nested at most 64"));
}

TEST_CASE("a 100,000-character value is refused with a message of ordinary length", "[hardening][hostile]") {
    const std::string huge(100'000, 'X');
    const auto mode = runScenarioText("long-mode", quickWith("\"recognition\": {\"mode\": \"" + huge + "\"}"));
    requireRefused(mode, "/recognition/mode", "(100000 characters)");
    const auto key = runScenarioText("long-key", quickWith("\"" + huge + "\": 1"));
    requireRefused(key, "/XXXX", "a known field");
}

TEST_CASE("deeply nested and absurd sweeps are refused before any run starts", "[hardening][hostile]") {
    const std::string dir = alprsim::test::freshDir("hostile-sweep");
    const std::string quick = alprsim::test::sourceDir() + "/scenarios/quick.json";
    auto sweep = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir + "/" + name + ".json") << text;
        return alprsim::test::runProcess(
            {alprsim::test::alprsimBinary(), "sweep", dir + "/" + name + ".json", "--out", dir + "/" + name});
    };
    const auto deep = sweep("deep", "{\"name\": \"d\", \"base\": \"" + quick + "\", \"grid\": " + nested(200'000) + "}");
    CHECK(deep.exitCode == 2);
    CHECK(contains(deep.output, "nested at most 64"));

    // An array index far past the end of the base's array: nlohmann would grow the array to a
    // billion nulls (16 GB); refused as a path that cannot be set.
    std::ofstream(dir + "/with-sites.json")
        << "{\"extends\": \"" + quick +
               "\", \"cameras\": {\"placement\": \"list\", \"sites\": [{\"lat\": 42.36, \"lon\": -71.12}]}}";
    const auto past = sweep("past-end", R"({"name": "p", "base": "with-sites.json",
                                            "grid": [{"path": "/cameras/sites/999999999", "values": [{}]}]})");
    INFO(past.output);
    CHECK(past.exitCode == 2);
    CHECK(contains(past.output, "/grid/0/path"));
    CHECK(contains(past.output, "past the end"));

    const auto many = sweep(
        "many", "{\"name\": \"m\", \"base\": \"" + quick + "\", \"seeds\": [" + [] {
            std::string seeds;
            for (int i = 0; i < 100'001; ++i) seeds += (i ? "," : "") + std::to_string(i);
            return seeds;
        }() + "]}");
    CHECK(many.exitCode == 2);
    CHECK(contains(many.output, "/seeds"));
    CHECK(contains(many.output, "at most 100000"));
    for (const char* name : {"deep", "past-end", "many"}) CHECK_FALSE(fs::exists(dir + "/" + name));
}

TEST_CASE("limits docs/hardening.md states are kept: long values, control characters, duplicate keys", "[hardening][hostile]") {
    // docs/hardening.md: a 100,000-character value is refused. A 50 MB description was accepted (a 50 MB
    // results.json and a 101 MB report); the file limit and the string limit both stop it now.
    requireRefused(runScenarioText("long-description", quickWith("\"description\": \"" + std::string(100'000, 'd') + "\"")),
                   "/description", "a string of at most 10000 characters");
    // An escape sequence that would clear the terminal, and a NUL that would cut the name.
    const auto escape = runScenarioText("control-name", quickWith(R"("name": "x\u001b[2J\u001b[31mred")"));
    requireRefused(escape, "/name", "without control characters");
    CHECK_FALSE(contains(escape.process.output, "\x1b"));
    CHECK(contains(escape.process.output, "x\\u001b[2J"));
    requireRefused(runScenarioText("nul-name", quickWith(R"("name": "before\u0000after")")), "/name", "before\\u0000after");
    requireRefused(runScenarioText("duplicate", quickWith(R"("seed": 1, "seed": 2)")), "/seed", "\"seed\" is given twice");
}
