// The JSON Schema in scenarios/schema and the C++ loader describe the same format: every
// scenario in scenarios/ passes both, both reject the same broken documents, and for every
// object in the format the keys the loader asks for are exactly the schema's "properties".
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/files.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_extends.h"
#include "tests/support/process.h"
#include "tests/support/json_schema_check.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kScenarioDir = fs::path(test::sourceDir()) / "scenarios";
const char* kProbeKey = "__not_a_field__";

test::SchemaChecker loadSchema() {
    return test::SchemaChecker(json::parse(readTextFile(kScenarioDir / "schema" / "scenario.schema.json")));
}

std::vector<fs::path> scenarioFiles() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(kScenarioDir))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Complete documents to hold both sides to: the schema's examples and every scenario file
// (merged with its bases), each with the folder its relative paths start from.
std::vector<std::pair<std::string, json>> referenceDocuments(const test::SchemaChecker& schema) {
    std::vector<std::pair<std::string, json>> docs;
    for (size_t i = 0; i < schema.root()["examples"].size(); ++i)
        docs.emplace_back("schema example " + std::to_string(i), schema.root()["examples"][i]);
    for (const fs::path& file : scenarioFiles()) docs.emplace_back(file.filename().string(), resolveExtends(file).document);
    return docs;
}

// Loads `doc` through the real loader from a file in the scenarios folder's sibling scratch dir.
void loadDocument(const json& doc, const std::string& scratchName) {
    const fs::path dir = fs::current_path() / "tmp-schema";
    fs::create_directories(dir);
    const fs::path file = dir / (scratchName + ".json");
    std::ofstream(file) << doc.dump(2);
    loadScenario(file);
}

// The keys the loader asks for in the object at `pointer`: it rejects an unknown key there and
// lists the keys it knows ("known here: a, b, c").
std::set<std::string> loaderKeysAt(json doc, const json::json_pointer& pointer, const std::string& scratchName) {
    doc[pointer][kProbeKey] = true;
    try {
        loadDocument(doc, scratchName);
    } catch (const InputError& e) {
        INFO(e.what());
        REQUIRE(e.where() == pointer.to_string() + "/" + kProbeKey);
        const std::string msg = e.what();
        size_t from = msg.find("known here: ");  // core/json_reader.h: "(known here: a, b)"
        REQUIRE(from != std::string::npos);
        from += 12;
        const std::string list = msg.substr(from, msg.find(')', from) - from);
        std::set<std::string> keys;
        for (size_t start = 0; start < list.size();) {
            const size_t comma = list.find(", ", start);
            keys.insert(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            start = comma == std::string::npos ? list.size() : comma + 2;
        }
        return keys;
    }
    FAIL("the loader accepted an unknown key at " << pointer.to_string());
    return {};
}

// Every object in `doc` that the schema describes with properties, as pointers.
void objectsIn(const json& doc, const json::json_pointer& at, const test::SchemaChecker& schema,
               std::vector<json::json_pointer>& out) {
    if (doc.is_object()) {
        const json* sub = schema.subschemaAt(at);
        if (sub && sub->contains("properties")) out.push_back(at);
        for (const auto& [key, value] : doc.items()) objectsIn(value, at / key, schema, out);
    } else if (doc.is_array()) {
        for (size_t i = 0; i < doc.size(); ++i) objectsIn(doc[i], at / i, schema, out);
    }
}

// Where an object sits in the format, with array indices folded: /cameras/sites/3 -> /cameras/sites/*.
std::string formatPlace(const json::json_pointer& p) {
    std::string out;
    std::vector<std::string> tokens;
    for (json::json_pointer q = p; !q.empty(); q.pop_back()) tokens.insert(tokens.begin(), q.back());
    for (const std::string& t : tokens) out += "/" + (t.find_first_not_of("0123456789") == std::string::npos ? "*" : t);
    return out;
}

}  // namespace

TEST_CASE("Every scenario in scenarios/ loads with the C++ loader and validates against the schema", "[schema]") {
    const test::SchemaChecker schema = loadSchema();
    const auto files = scenarioFiles();
    REQUIRE(files.size() >= 2);
    for (const fs::path& file : files) {
        INFO(file);
        CHECK_NOTHROW(loadScenario(file));
        const json merged = resolveExtends(file).document;
        CHECK(schema.violations(merged) == std::vector<std::string>{});
        CHECK(merged.value("description", "") != "");  // each says what it is for
    }
    for (const json& example : schema.root()["examples"]) {
        INFO(example.dump());
        CHECK(schema.violations(example) == std::vector<std::string>{});
        CHECK_NOTHROW(loadDocument(example, "example"));
    }
}

TEST_CASE("The schema's properties are exactly the keys the loader reads, object by object", "[schema]") {
    const test::SchemaChecker schema = loadSchema();
    std::map<std::string, std::set<std::string>> loaderKeys;  // place in the format -> keys
    std::map<std::string, std::set<std::string>> schemaKeys;
    int probe = 0;
    for (const auto& [name, doc] : referenceDocuments(schema)) {
        std::vector<json::json_pointer> objects;
        objectsIn(doc, json::json_pointer(), schema, objects);
        for (const auto& pointer : objects) {
            INFO(name << " at " << pointer.to_string());
            const std::set<std::string> keys = loaderKeysAt(doc, pointer, "probe" + std::to_string(probe++));
            loaderKeys[formatPlace(pointer)].insert(keys.begin(), keys.end());
            const auto names = schema.propertyNames(*schema.subschemaAt(pointer));
            schemaKeys[formatPlace(pointer)] = {names.begin(), names.end()};
        }
    }
    // "extends" is merged away before the loader sees the document.
    schemaKeys[""].erase("extends");
    REQUIRE(loaderKeys.size() >= 6);  // root, network, time, simulation, demand, cameras, sites
    for (const auto& [place, keys] : schemaKeys) {
        INFO("object " << (place.empty() ? "/" : place));
        CHECK(loaderKeys[place] == keys);
    }
    // Every object the schema describes with properties was reached by some document.
    CHECK(loaderKeys.size() == schemaKeys.size());
}

TEST_CASE("Schema and loader reject the same broken scenarios", "[schema]") {
    const test::SchemaChecker schema = loadSchema();
    const json valid = schema.root()["examples"][0];
    struct Broken {
        std::string what;
        std::string pointer;
        json value;  // null: remove the field
    };
    const std::vector<Broken> cases = {
        {"missing name", "/name", nullptr},
        {"seed not a whole number", "/seed", 1.5},
        {"negative seed", "/seed", -1},
        {"unknown top-level key", "/colour", "red"},
        {"unknown section key", "/time/colour", "red"},
        {"duration too short", "/time/duration_hours", 0},
        {"start hour a string", "/time/start_hour", "7"},
        {"unknown simulation model", "/simulation/model", "nanoscopic"},
        {"step too long", "/simulation/step_length", 60},
        {"no vehicles", "/demand/vehicles", 0},
        {"unknown demand model", "/demand/model", "gravity"},
        {"camera count negative", "/cameras/count", -2},
        {"unknown placement", "/cameras/placement", "everywhere"},
        {"list placement without sites", "/cameras/placement", "list"},
        {"network without osm", "/network/osm", nullptr},
    };
    for (const Broken& c : cases) {
        INFO(c.what);
        json doc = valid;
        const json::json_pointer p(c.pointer);
        if (c.value.is_null()) {
            doc[p.parent_pointer()].erase(p.back());
        } else {
            doc[p] = c.value;
        }
        CHECK_FALSE(schema.violations(doc).empty());
        CHECK_THROWS_AS(loadDocument(doc, "broken"), InputError);
    }
}
