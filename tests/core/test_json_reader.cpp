// The one strict JSON reader for what users write (scenarios, sweeps): what it refuses before any
// field is looked at, each with the file and the JSON path (issue #30).
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_reader.h"
#include "tests/support/text.h"

using namespace alprsim;
using alprsim::test::contains;

namespace {
std::string refusal(const std::string& text) {
    try {
        parseUserJson(text, "s.json");
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}
}  // namespace

TEST_CASE("A key given twice in one object is refused, naming the key and where", "[core][json][hardening]") {
    CHECK(contains(refusal(R"({"seed": 1, "seed": 2})"),
                   "s.json: at /seed: each key at most once in an object; \"seed\" is given twice"));
    const std::string nested = refusal(R"({"cameras": {"sites": [{"id": "a"}, {"id": "b", "lat": 1, "lat": 2}]}})");
    CHECK(contains(nested, "at /cameras/sites/1/lat"));
    const std::string afterArrays = refusal(R"({"a": [[1, 2], {"x": 1}, 3], "b": {"k": 1, "k": 1}})");
    CHECK(contains(afterArrays, "at /b/k"));
    // The same key in different objects is no duplicate.
    CHECK(parseUserJson(R"({"a": {"id": 1}, "b": {"id": 2}, "c": [{"id": 3}, {"id": 4}]})", "s.json")["c"][1]["id"] == 4);
}

TEST_CASE("Nesting up to the stated depth is read; one level more is refused", "[core][json][hardening]") {
    const auto nested = [](int depth) { return std::string(depth - 1, '[') + "{}" + std::string(depth - 1, ']'); };
    CHECK(parseUserJson(nested(kMaxJsonDepth), "s.json").is_array());
    CHECK(contains(refusal(nested(kMaxJsonDepth + 1)), "s.json: JSON nested at most 64 levels deep"));
    CHECK(contains(refusal("{\"a\": " + nested(kMaxJsonDepth) + "}"), "nested at most 64"));
}

TEST_CASE("Strings longer than the stated limit are refused with a short message", "[core][json][hardening]") {
    const std::string atLimit(kMaxJsonStringBytes, 'd');
    CHECK(parseUserJson("{\"description\": \"" + atLimit + "\"}", "s.json")["description"].get<std::string>().size() ==
          kMaxJsonStringBytes);
    const std::string message = refusal("{\"description\": \"" + std::string(1'000'000, 'd') + "\"}");
    CHECK(contains(message, "at /description: a string of at most 10000 characters"));
    CHECK(contains(message, "(1000000 characters)"));
    CHECK(message.size() < 300);
}

TEST_CASE("Control characters in strings and keys are refused and never shown raw", "[core][json][hardening]") {
    const std::string escape = refusal(R"({"name": "evil\u001b[2J\u0007"})");
    CHECK(contains(escape, "at /name: a string without control characters"));
    CHECK(contains(escape, "\\u001b[2J\\u0007"));
    CHECK_FALSE(contains(escape, "\x1b"));
    const std::string nul = refusal(R"({"cameras": [{"id": "cam\u0000hidden"}]})");
    CHECK(contains(nul, "at /cameras/0/id"));
    CHECK(contains(nul, "cam\\u0000hidden"));  // the whole name, not cut at the NUL
    CHECK(contains(refusal(R"({"na\u0000me": 1})"), "a key without control characters"));
    // Tab and line break are text layout, allowed in a description.
    CHECK(parseUserJson(R"({"description": "line one\n\tline two"})", "s.json")["description"] == "line one\n\tline two");
}

TEST_CASE("A value of the wrong type is described in words in the message", "[core][json]") {
    using nlohmann::json;
    CHECK(describeJsonType(json(nullptr)) == "null");
    CHECK(describeJsonType(json(true)) == "a boolean");
    CHECK(describeJsonType(json("x")) == "a string");
    CHECK(describeJsonType(json::array()) == "an array");
    CHECK(describeJsonType(json::object()) == "an object");
    CHECK(describeJsonType(json(-2.5)) == "the number -2.5");
    CHECK(describeJsonType(json(7u)) == "the number 7");
}
