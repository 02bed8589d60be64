// core/csv.h: fields quoted only when they must be, split back to what was written; routes
// as space-separated ids.
#include <catch2/catch.hpp>

#include "core/csv.h"

using namespace alprsim;

TEST_CASE("CSV fields round-trip through quoting", "[core][csv]") {
    const std::vector<std::string> fields = {"plain", "a,b", "say \"hi\"", "", "line\nbreak"};
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csvField(fields[i]);
    CHECK(csvField("plain") == "plain");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(splitCsvLine(line) == fields);
}

TEST_CASE("space-separated ids split back to the list joined", "[core][csv]") {
    const std::vector<std::string> route = {"-8814020#2", "426498637#0", ":J1_0"};
    CHECK(joinSpaces(route) == "-8814020#2 426498637#0 :J1_0");
    CHECK(splitSpaces(joinSpaces(route)) == route);
    CHECK(splitSpaces("  a  b ") == std::vector<std::string>{"a", "b"});
    CHECK(splitSpaces("").empty());
    CHECK(joinSpaces({}).empty());
}
