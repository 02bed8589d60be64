// core/csv.h: fields quoted only when they must be and read back by CsvReader as written
// (commas, quotes, CR and LF inside fields), row by row, with errors that name the file, the
// row and the column; routes as space-separated ids.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"

using namespace alprsim;

namespace {
std::vector<std::vector<std::string>> csvRows(const std::string& text) {
    std::istringstream in(text);
    CsvReader reader(in, "t.csv");
    std::vector<std::vector<std::string>> rows{reader.header()};
    while (reader.next()) rows.push_back(reader.row());
    return rows;
}

std::string errorOf(const std::string& text) {
    try {
        csvRows(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("CSV fields written by csvField are quoted only when they must be", "[core][csv]") {
    CHECK(csvField("plain") == "plain");
    CHECK(csvField("") == "");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("cr\rlf") == "\"cr\rlf\"");
}

TEST_CASE("csvFixed gives printf's digits: halves, large and tiny values", "[core][csv]") {
    CHECK(csvFixed(0.125, 2) == "0.12");  // exactly half: to even, as printf
    CHECK(csvFixed(0.135, 2) == "0.14");  // 0.135 is stored a little above
    CHECK(csvFixed(2.5, 0) == "2");
    CHECK(csvFixed(-0.004, 2) == "-0.00");
    CHECK(csvFixed(1e300, 2).size() == 304);
    for (const double v : {0.0, 1.0 / 3, 86399.995, 123456.785, 9.87654321e9, 5e-324})
        for (const int decimals : {0, 1, 2, 4}) CHECK(csvFixed(v, decimals) == fmt::format("{:.{}f}", v, decimals));
}

TEST_CASE("CSV writer to reader round trip: commas, quotes, CR, LF and CRLF inside fields", "[core][csv]") {
    const std::vector<std::string> header = {"id", "text", "more"};
    const std::vector<std::vector<std::string>> rows = {
        {"plain", "a,b", "say \"hi\""},
        {"", "line\nbreak", "cr\ronly"},
        {"\r\n", "\"", ",,"},
        {"end\n", "\"\"\n\"", " spaced "},
    };
    std::string text = csvRow(header);
    for (const auto& r : rows) text += csvRow(r);
    const auto read = csvRows(text);
    REQUIRE(read.size() == rows.size() + 1);
    CHECK(read[0] == header);
    for (size_t i = 0; i < rows.size(); ++i) CHECK(read[i + 1] == rows[i]);
}

TEST_CASE("CSV rows: quotes, commas and line breaks inside fields, CRLF, blank lines", "[core][csv]") {
    const auto rows = csvRows("trip,route_edges\r\n\"a,1\",\"x \"\"y\"\"\nz\"\r\n\nb,\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"trip", "route_edges"});
    CHECK(rows[1] == std::vector<std::string>{"a,1", "x \"y\"\nz"});
    CHECK(rows[2] == std::vector<std::string>{"b", ""});
    CHECK(csvRows("a,b\n1,2").size() == 2);  // no line break after the last row
}

TEST_CASE("CSV columns by name, numbers with the row and column of a bad one", "[core][csv]") {
    std::istringstream in("trip,depart\nt1,12.5\nt2,\nt3,soon\n");
    CsvReader reader(in, "trips.csv");
    const size_t depart = reader.column("depart");
    CHECK(depart == 1);
    CHECK_FALSE(reader.optionalColumn("arrive"));
    CHECK_THROWS_WITH(reader.column("arrive"), Catch::Contains("trips.csv") && Catch::Contains("arrive"));
    REQUIRE(reader.next());
    CHECK(reader.number(depart) == 12.5);
    REQUIRE(reader.next());
    CHECK_FALSE(reader.number(depart));
    REQUIRE(reader.next());
    CHECK(reader.rowNumber() == 4);
    CHECK_THROWS_WITH(reader.number(depart), Catch::Contains("row 4, column depart") && Catch::Contains("soon"));
    CHECK_FALSE(reader.next());
}

TEST_CASE("Broken CSV is an error naming the file and the row", "[core][csv]") {
    CHECK_THAT(errorOf(""), Catch::Contains("t.csv") && Catch::Contains("header"));
    CHECK_THAT(errorOf("a,b\n1,2\n1,2,3\n"), Catch::Contains("row 3") && Catch::Contains("2 fields as in the header, not 3"));
    CHECK_THAT(errorOf("a,b\n1,\"2\n"), Catch::Contains("closing quote"));
}

TEST_CASE("A CSV row longer than the stated limit is refused, naming the file and row", "[core][csv][hardening]") {
    // A file with no line break (or /dev/zero) would otherwise become one field as large as memory.
    const std::string message = errorOf("a,b\n1,2\n" + std::string(kCsvRowBytes + 1, 'x'));
    CHECK(message.find("t.csv: at row 3: a row of at most 16 MiB") != std::string::npos);
    CHECK(csvRows("a\n" + std::string(kCsvRowBytes - 1, 'x') + "\n").size() == 2);  // up to the limit, with its line break
}

TEST_CASE("space-separated ids split back to the list joined", "[core][csv]") {
    const std::vector<std::string> route = {"-8814020#2", "426498637#0", ":J1_0"};
    CHECK(joinSpaces(route) == "-8814020#2 426498637#0 :J1_0");
    CHECK(splitSpaces(joinSpaces(route)) == route);
    CHECK(splitSpaces("  a  b ") == std::vector<std::string>{"a", "b"});
    CHECK(splitSpaces("").empty());
    CHECK(joinSpaces({}).empty());
}

TEST_CASE("A CSV file without a header: the columns are given, the first line is row 1", "[core][csv]") {
    std::istringstream in("a.png,MA,123ABC\nb.png,MA\n");
    CsvReader reader(in, "truth.csv", {"file", "state", "plate"});
    CHECK(reader.column("plate") == 2);
    REQUIRE(reader.next());
    CHECK(reader.rowNumber() == 1);
    CHECK(reader.row() == std::vector<std::string>{"a.png", "MA", "123ABC"});
    CHECK_THROWS_WITH(reader.next(), Catch::Contains("truth.csv") && Catch::Contains("row 2"));
}
