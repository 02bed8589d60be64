#include "core/csv.h"

#include <charconv>
#include <cmath>

#include "core/error.h"
#include "core/files.h"

namespace alprsim {

CsvReader::CsvReader(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {
    if (!readRecord()) throw InputError(file_, "row 1", "a header row");
    header_ = row_;
}

CsvReader::CsvReader(std::istream& in, std::string file, std::vector<std::string> columns)
    : in_(in), file_(std::move(file)), header_(std::move(columns)) {}

// One RFC 4180 record: fields split at commas outside quotes, "" inside quotes is a quote, and
// the record ends at a line break outside quotes (\n, \r\n or \r) or at the end of the input.
bool CsvReader::readRecord() {
    std::streambuf& in = *in_.rdbuf();
    using Traits = std::char_traits<char>;
    if (Traits::eq_int_type(in.sgetc(), Traits::eof())) return false;
    size_t fields = 0;
    const auto startField = [&]() -> std::string* {  // row_'s strings are reused from row to row
        if (row_.size() <= fields) row_.emplace_back();
        row_[fields].clear();
        return &row_[fields];
    };
    std::string* field = startField();
    bool quoted = false;
    uint64_t bytes = 0;
    for (;;) {
        const auto c = in.sbumpc();
        // A row is bounded (a file with no line break, or an endless device, would otherwise
        // become one field as large as memory).
        if (++bytes > kCsvRowBytes)
            throw InputError(
                file_, "row " + std::to_string(record_ + 1),
                "a row of at most " + std::to_string(kCsvRowBytes / kMiB) + " MiB; this one is longer (reading stopped there)");
        if (Traits::eq_int_type(c, Traits::eof())) {
            if (quoted) throw InputError(file_, "end of file", "a closing quote for a quoted field");
            break;
        }
        const char ch = Traits::to_char_type(c);
        if (quoted) {
            if (ch != '"') {
                *field += ch;
            } else if (Traits::eq_int_type(in.sgetc(), Traits::to_int_type('"'))) {
                *field += '"';
                in.sbumpc();
            } else {
                quoted = false;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            ++fields;
            field = startField();
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && Traits::eq_int_type(in.sgetc(), Traits::to_int_type('\n'))) in.sbumpc();
            break;
        } else {
            *field += ch;
        }
    }
    row_.resize(fields + 1);
    ++record_;
    return true;
}

bool CsvReader::next() {
    while (readRecord()) {
        if (row_.size() == 1 && row_[0].empty()) continue;  // blank line
        if (row_.size() != header_.size())
            throw InputError(file_, "row " + std::to_string(record_),
                             std::to_string(header_.size()) + " fields as in the header, not " + std::to_string(row_.size()));
        return true;
    }
    return false;
}

std::optional<size_t> CsvReader::optionalColumn(const std::string& name) const {
    for (size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    return std::nullopt;
}

size_t CsvReader::column(const std::string& name) const {
    if (auto i = optionalColumn(name)) return *i;
    throw InputError(file_, "header", "a column named \"" + name + "\"");
}

std::optional<double> CsvReader::number(size_t column) const {
    const std::string& cell = row_[column];
    if (cell.empty()) return std::nullopt;
    double value = 0.0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value))
        throw InputError(file_, "row " + std::to_string(record_) + ", column " + header_[column],
                         "a number, not \"" + cell + "\"");
    return value;
}

}  // namespace alprsim
