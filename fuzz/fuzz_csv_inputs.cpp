// Fuzzes the CSV inputs: the one reader of tables (core/csv.h CsvReader: trips.csv, vehicles.csv,
// recognize's truth files) and the one writer of fields (csvField, beside it). Two contracts:
// - any bytes read as a table give rows as wide as the header, or an InputError; a number cell
//   gives a number, nothing, or an InputError; nothing else escapes, nothing hangs;
// - any fields, written with csvField and read back with CsvReader, come back the same (quotes,
//   commas and line breaks included), whatever they hold.
// The input's first byte picks the contract; for the round trip, byte 0x1f ends a field and
// 0x1e a row.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/error.h"

namespace {

void readAnyTable(const std::string& bytes) {
    std::istringstream in(bytes);
    try {
        alprsim::CsvReader table(in, "input.csv");
        const size_t width = table.header().size();
        while (table.next()) {
            if (table.row().size() != width) __builtin_trap();  // rows are as wide as the header
            for (size_t c = 0; c < width; ++c) (void)table.number(c);
        }
    } catch (const alprsim::InputError&) {}
}

void roundTrip(const std::string& bytes) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    for (char ch : bytes)
        if (ch == '\x1e')
            rows.emplace_back(1);
        else if (ch == '\x1f')
            rows.back().emplace_back();
        else
            rows.back().back() += ch;
    const size_t width = rows.front().size();
    for (auto& row : rows) row.resize(width);  // a table: every row as wide as the header
    std::string text;
    for (const auto& row : rows) {
        for (size_t c = 0; c < row.size(); ++c) text += (c ? "," : "") + alprsim::csvField(row[c]);
        text += '\n';
    }
    // The reader skips blank lines: a row of one empty field is one. Only rows that say something.
    std::vector<std::vector<std::string>> expected;
    for (const auto& row : rows)
        if (!(row.size() == 1 && row[0].empty())) expected.push_back(row);
    if (expected.empty() || expected.front() != rows.front()) return;  // no header to read
    std::istringstream in(text);
    alprsim::CsvReader table(in, "round-trip.csv");  // an InputError here is a finding too
    if (table.header() != expected.front()) __builtin_trap();
    for (size_t r = 1; r < expected.size(); ++r)
        if (!table.next() || table.row() != expected[r]) __builtin_trap();
    if (table.next()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] & 1)
        roundTrip(bytes);
    else
        readAnyTable(bytes);
    return 0;
}
