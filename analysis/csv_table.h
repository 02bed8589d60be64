#pragma once
// Reading the CSV files a run writes (trips.csv, vehicles.csv): RFC 4180 fields, a header row,
// columns looked up by name so that added columns never break a reader.
#include <optional>
#include <string>
#include <vector>

namespace alprsim {

class CsvTable {
public:
    // Throws InputError naming `file` if quoting is broken or a row's width differs from the header's.
    static CsvTable parse(const std::string& text, const std::string& file);

    const std::vector<std::string>& header() const { return header_; }
    const std::vector<std::vector<std::string>>& rows() const { return rows_; }
    // Index of a column; throws InputError naming the file and column if it is missing.
    size_t column(const std::string& name) const;
    std::optional<size_t> optionalColumn(const std::string& name) const;
    const std::string& file() const { return file_; }

private:
    std::string file_;
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// A number in a CSV cell; empty -> nullopt; anything else malformed throws InputError naming
// the file, row (1-based, the header is row 1) and column.
std::optional<double> csvNumber(const CsvTable& table, size_t row, size_t column);

}  // namespace alprsim
