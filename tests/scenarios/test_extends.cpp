// "extends": RFC 7386 merge-patch semantics, chains, cycles, and errors that name the file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_extends.h"
#include "tests/support/text.h"

using namespace alprsim;
namespace fs = std::filesystem;
using alprsim::test::contains;
using nlohmann::json;

namespace {

// A scratch folder of scenario files, one per test case (CTest runs cases in parallel).
struct Folder {
    fs::path dir;
    explicit Folder(const std::string& name) : dir(fs::current_path() / ("tmp-extends-" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        std::ofstream(dir / "tiny.osm") << "<osm/>";
        std::ofstream(dir / "towns.geojson") << R"({"type":"FeatureCollection","features":[]})";
    }
    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path p = dir / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p;
    }
    fs::path writeJson(const std::string& name, const json& doc) const { return write(name, doc.dump(2)); }
};

json baseScenario() {
    return json::parse(R"({
      "name": "base", "description": "the base", "seed": 3,
      "network": {"osm": "tiny.osm", "towns": "towns.geojson"},
      "time": {"start_hour": 7, "duration_hours": 2},
      "simulation": {"model": "microscopic", "step_length": 0.5},
      "demand": {"model": "random-od", "vehicles": 10, "depart_window_hours": 1},
      "cameras": {"agency": "Brookline", "placement": "list",
                  "sites": [{"edge": "a"}, {"edge": "b"}, {"edge": "c"}]}
    })");
}

InputError rejection(const fs::path& file) {
    try {
        loadScenario(file);
    } catch (const InputError& e) {
        return e;
    }
    FAIL("scenario was accepted: " << file);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("extends: objects merge recursively, scalars replace, other fields are inherited", "[extends]") {
    Folder f("merge");
    f.writeJson("base.json", baseScenario());
    const fs::path child = f.write("child.json", R"({"extends": "base.json", "name": "child",
        "time": {"duration_hours": 3}, "demand": {"vehicles": 25}})");
    const Scenario s = loadScenario(child);
    CHECK(s.name == "child");
    CHECK(s.description == "the base");  // inherited scalar
    CHECK(s.beginSeconds == 7 * 3600);   // sibling key kept inside a merged object
    CHECK(s.endSeconds == 10 * 3600);    // overridden key inside the same object
    CHECK(s.source["demand"]["vehicles"] == 25);
    CHECK(s.source["demand"]["depart_window_hours"] == 1);  // inherited inside a merged object
    CHECK(s.stepLength == 0.5);
    CHECK(s.cameras.sites.size() == 3);
    CHECK_FALSE(s.source.contains("extends"));  // results echo the scenario that ran
}

TEST_CASE("extends: an array replaces the base's array as a whole", "[extends]") {
    Folder f("array");
    f.writeJson("base.json", baseScenario());
    const fs::path child = f.write("child.json", R"({"extends": "base.json", "cameras": {"sites": [{"edge": "z"}]}})");
    const Scenario s = loadScenario(child);
    REQUIRE(s.cameras.sites.size() == 1);
    CHECK(s.cameras.sites[0].edge == "z");
    CHECK(s.cameras.agency == "Brookline");
}

TEST_CASE("extends: null deletes the base's key", "[extends]") {
    Folder f("null");
    f.writeJson("base.json", baseScenario());
    const Scenario s = loadScenario(f.write("child.json", R"({"extends": "base.json", "simulation": null,
        "demand": {"depart_window_hours": null}, "description": null})"));
    CHECK(s.stepLength == 1.0);  // the loader's default once the section is gone
    CHECK_FALSE(s.source.contains("simulation"));
    CHECK(s.description.empty());
    CHECK_FALSE(s.source["demand"].contains("depart_window_hours"));
    CHECK(s.source["demand"]["vehicles"] == 10);
}

TEST_CASE("extends: a null that deletes a required field is reported at its path", "[extends]") {
    Folder f("null-required");
    f.writeJson("base.json", baseScenario());
    const fs::path child = f.write("child.json", R"({"extends": "base.json", "demand": {"vehicles": null}})");
    const InputError e = rejection(child);
    CHECK(e.file() == child.string());
    CHECK(e.where() == "/demand/vehicles");
    CHECK(contains(e.what(), "required"));
    CHECK(contains(e.what(), "merged from"));  // says the field came through a base
    CHECK(contains(e.what(), "base.json"));
}

TEST_CASE("extends: chains apply from the farthest base to the file itself", "[extends]") {
    Folder f("chain");
    f.writeJson("bases/root.json", baseScenario());
    f.write("bases/middle.json", R"({"extends": "root.json", "seed": 11, "demand": {"vehicles": 40}})");
    // Paths are relative to the file that names them: middle.json is in bases/.
    const Scenario s = loadScenario(f.write("leaf.json", R"({"extends": "bases/middle.json", "demand": {"vehicles": 50}})"));
    CHECK(s.seed == 11);                          // from the middle
    CHECK(s.source["demand"]["vehicles"] == 50);  // the leaf wins over the middle
    CHECK(s.name == "base");                      // from the root
    CHECK(resolveExtends(f.dir / "leaf.json").chain.size() == 3);
}

TEST_CASE("extends: a cycle is detected and the chain is reported", "[extends]") {
    Folder f("cycle");
    f.write("a.json", R"({"extends": "b.json", "name": "a"})");
    f.write("b.json", R"({"extends": "c.json"})");
    f.write("c.json", R"({"extends": "./a.json"})");
    const InputError e = rejection(f.dir / "a.json");
    CHECK(e.file() == (f.dir / "c.json").string());
    CHECK(e.where() == "/extends");
    CHECK(contains(e.what(), "cycle"));
    CHECK(contains(e.what(), "a.json -> "));
    CHECK(contains(e.what(), "b.json -> "));

    const fs::path self = f.write("self.json", R"({"extends": "self.json"})");
    CHECK(contains(rejection(self).what(), "cycle"));
}

TEST_CASE("extends: a base named twice without a cycle is fine", "[extends]") {
    Folder f("diamond");
    f.writeJson("base.json", baseScenario());
    f.write("mid.json", R"({"extends": "base.json", "seed": 5})");
    CHECK(loadScenario(f.write("leaf.json", R"({"extends": "mid.json"})")).seed == 5);
    CHECK(loadScenario(f.write("other.json", R"({"extends": "base.json"})")).seed == 3);
}

TEST_CASE("extends: errors name the file that has the problem", "[extends]") {
    Folder f("errors");
    SECTION("missing base: the file that names it, at /extends") {
        const fs::path child = f.write("child.json", R"({"extends": "nope.json"})");
        const InputError e = rejection(child);
        CHECK(e.file() == child.string());
        CHECK(e.where() == "/extends");
        CHECK(contains(e.what(), "nope.json"));
        CHECK(contains(e.what(), "existing scenario file"));
    }
    SECTION("invalid JSON in a base: the base itself") {
        const fs::path base = f.write("broken.json", "{\"name\": ");
        const fs::path child = f.write("child.json", R"({"extends": "broken.json"})");
        const InputError e = rejection(child);
        CHECK(e.file() == base.string());
        CHECK(contains(e.what(), "valid JSON"));
    }
    SECTION("a base that is not an object") {
        const fs::path base = f.write("list.json", "[1, 2]");
        const InputError e = rejection(f.write("child.json", R"({"extends": "list.json"})"));
        CHECK(e.file() == base.string());
        CHECK(contains(e.what(), "an object"));
    }
    SECTION("extends that is not a string") {
        const fs::path child = f.write("child.json", R"({"extends": ["base.json"]})");
        const InputError e = rejection(child);
        CHECK(e.file() == child.string());
        CHECK(e.where() == "/extends");
        CHECK(contains(e.what(), "a string"));
    }
    SECTION("an override of the wrong type: the file, the path and the expectation") {
        f.writeJson("base.json", baseScenario());
        const fs::path child = f.write("child.json", R"({"extends": "base.json", "time": {"duration_hours": "two"}})");
        const InputError e = rejection(child);
        CHECK(e.file() == child.string());
        CHECK(e.where() == "/time/duration_hours");
        CHECK(contains(e.what(), "a number from 0.01"));
        CHECK(contains(e.what(), "a string"));
    }
}

TEST_CASE("A scenario without extends is loaded exactly as before", "[extends]") {
    Folder f("plain");
    const fs::path file = f.writeJson("plain.json", baseScenario());
    const ExtendedScenario r = resolveExtends(file);
    CHECK(r.document == baseScenario());
    CHECK(r.chain.size() == 1);
    CHECK(loadScenario(file).source == baseScenario());
}
