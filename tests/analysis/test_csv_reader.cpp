// CsvReader: the run's CSV files (trips.csv, vehicles.csv) read row by row, with RFC 4180
// quoting and errors that name the file, the row and the column.
#include <catch2/catch.hpp>

#include <sstream>

#include "analysis/csv_table.h"
#include "core/error.h"
#include "core/files.h"

using namespace alprsim;

namespace {
std::vector<std::vector<std::string>> readAll(const std::string& text) {
    std::istringstream in(text);
    CsvReader reader(in, "t.csv");
    std::vector<std::vector<std::string>> rows{reader.header()};
    while (reader.next()) rows.push_back(reader.row());
    return rows;
}

std::string errorOf(const std::string& text) {
    try {
        readAll(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("CSV rows: quotes, commas and line breaks inside fields, CRLF, blank lines", "[analysis][csv]") {
    const auto rows = readAll("trip,route_edges\r\n\"a,1\",\"x \"\"y\"\"\nz\"\r\n\nb,\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"trip", "route_edges"});
    CHECK(rows[1] == std::vector<std::string>{"a,1", "x \"y\"\nz"});
    CHECK(rows[2] == std::vector<std::string>{"b", ""});
    CHECK(readAll("a,b\n1,2").size() == 2);  // no line break after the last row
}

TEST_CASE("CSV columns by name, numbers with the row and column of a bad one", "[analysis][csv]") {
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

TEST_CASE("Broken CSV is an error naming the file and the row", "[analysis][csv]") {
    CHECK_THAT(errorOf(""), Catch::Contains("t.csv") && Catch::Contains("header"));
    CHECK_THAT(errorOf("a,b\n1,2\n1,2,3\n"), Catch::Contains("row 3") && Catch::Contains("2 fields as in the header, not 3"));
    CHECK_THAT(errorOf("a,b\n1,\"2\n"), Catch::Contains("closing quote"));
}

TEST_CASE("A CSV row longer than the stated limit is refused, naming the file and row", "[analysis][csv][hardening]") {
    // A file with no line break (or /dev/zero) would otherwise become one field as large as memory.
    const std::string message = errorOf("a,b\n1,2\n" + std::string(kCsvRowBytes + 1, 'x'));
    CHECK(message.find("t.csv: at row 3: a row of at most 16 MiB") != std::string::npos);
    CHECK(readAll("a\n" + std::string(kCsvRowBytes - 1, 'x') + "\n").size() == 2);  // up to the limit, with its line break
}
