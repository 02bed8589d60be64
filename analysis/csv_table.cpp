#include "analysis/csv_table.h"

#include <charconv>
#include <cmath>

#include "core/error.h"

namespace alprsim {

namespace {
// Splits RFC 4180 text into records; returns false on an unterminated quote.
bool splitRecords(const std::string& text, std::vector<std::vector<std::string>>& records) {
    std::vector<std::string> record;
    std::string field;
    bool quoted = false, fieldStarted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
            fieldStarted = true;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            fieldStarted = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
            fieldStarted = false;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted) return false;
    if (fieldStarted || !field.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
    }
    return true;
}
}  // namespace

CsvTable CsvTable::parse(const std::string& text, const std::string& file) {
    CsvTable t;
    t.file_ = file;
    std::vector<std::vector<std::string>> records;
    if (!splitRecords(text, records)) throw InputError(file, "end of file", "a closing quote for a quoted field");
    if (records.empty()) throw InputError(file, "row 1", "a header row");
    t.header_ = std::move(records.front());
    for (size_t i = 1; i < records.size(); ++i) {
        if (records[i].size() == 1 && records[i][0].empty()) continue;  // blank line
        if (records[i].size() != t.header_.size())
            throw InputError(file, "row " + std::to_string(i + 1),
                             std::to_string(t.header_.size()) + " fields as in the header, not " +
                                 std::to_string(records[i].size()));
        t.rows_.push_back(std::move(records[i]));
    }
    return t;
}

std::optional<size_t> CsvTable::optionalColumn(const std::string& name) const {
    for (size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    return std::nullopt;
}

size_t CsvTable::column(const std::string& name) const {
    if (auto i = optionalColumn(name)) return *i;
    throw InputError(file_, "header", "a column named \"" + name + "\"");
}

std::optional<double> csvNumber(const CsvTable& table, size_t row, size_t column) {
    const std::string& cell = table.rows()[row][column];
    if (cell.empty()) return std::nullopt;
    double value = 0.0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value))
        throw InputError(table.file(), "row " + std::to_string(row + 2) + ", column " + table.header()[column],
                         "a number, not \"" + cell + "\"");
    return value;
}

}  // namespace alprsim
