#pragma once
// The one CSV reader and writer of the tree (RFC 4180): csvField quotes a field when it holds a
// comma, quote or line break; CsvReader reads such files back row by row, a quoted line break
// staying inside its field. Columns are looked up by name, so added columns never break a
// reader; rows are streamed, since a month's trips.csv is gigabytes and is never held whole.
#include <fmt/format.h>

#include <charconv>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace alprsim {

inline std::string csvField(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// One record: the fields quoted as above, joined by commas, ended by a line break.
// A double as a CSV field that reads back as the same double (17 significant digits).
inline std::string csvNumber(double value) { return fmt::format("{:.17g}", value); }

// A double with `decimals` decimals, the digits printf's %.*f gives; through std::to_chars, which
// is several times faster than fmt's exact path for a fixed precision (millions of trip rows).
inline std::string csvFixed(double value, int decimals) {
    char text[400];  // the longest fixed rendering of a double with a few decimals
    return std::string(text, std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, decimals).ptr);
}

inline std::string csvRow(const std::vector<std::string>& fields) {
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csvField(fields[i]);
    return line + "\n";
}

class CsvReader {
public:
    // Reads the header; throws InputError naming `file` if there is none.
    CsvReader(std::istream& in, std::string file);
    // For a file without a header row: the columns are given, and the first line is row 1.
    CsvReader(std::istream& in, std::string file, std::vector<std::string> columns);

    const std::vector<std::string>& header() const { return header_; }
    // Index of a column; throws InputError naming the file and column if it is missing.
    size_t column(const std::string& name) const;
    std::optional<size_t> optionalColumn(const std::string& name) const;
    const std::string& file() const { return file_; }

    // Reads the next row (blank lines are skipped) into row(); false at the end. Throws
    // InputError naming the file if quoting is broken or the row's width differs from the header's.
    bool next();
    const std::vector<std::string>& row() const { return row_; }
    // The current row's number in the file, counting the header as row 1 (a record with a
    // quoted line break counts once).
    size_t rowNumber() const { return record_; }
    // A number in a cell of the current row; empty -> nullopt; anything else malformed throws
    // InputError naming the file, row and column.
    std::optional<double> number(size_t column) const;

private:
    bool readRecord();  // into row_; false at the end of the input

    std::istream& in_;
    std::string file_;
    std::vector<std::string> header_;
    std::vector<std::string> row_;
    size_t record_ = 0;
};

// A list of ids in one field, separated by spaces (a route's edges: SUMO ids have none).
inline std::string joinSpaces(const std::vector<std::string>& ids) {
    std::string out;
    for (const std::string& id : ids) {
        if (!out.empty()) out += ' ';
        out += id;
    }
    return out;
}

inline std::vector<std::string> splitSpaces(const std::string& text) {
    std::vector<std::string> out;
    size_t start = text.find_first_not_of(' ');
    while (start != std::string::npos) {
        const size_t end = text.find(' ', start);
        out.push_back(text.substr(start, end - start));
        start = end == std::string::npos ? end : text.find_first_not_of(' ', end);
    }
    return out;
}

}  // namespace alprsim
