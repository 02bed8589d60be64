#pragma once
// Reading the CSV files a run writes (trips.csv, vehicles.csv): RFC 4180 fields, a header row,
// columns looked up by name so that added columns never break a reader. CsvReader goes row by
// row: a month's trips.csv is gigabytes, and is never held whole.
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace alprsim {

class CsvReader {
public:
    // Reads the header; throws InputError naming `file` if there is none.
    CsvReader(std::istream& in, std::string file);

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

}  // namespace alprsim
