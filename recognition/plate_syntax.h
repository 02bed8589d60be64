#pragma once
// Per-region plate syntax: each US state's (and DC's, and Brazil's) passenger serial formats, and
// reading a plate's characters as the likeliest string that fits one of them, so that look-alike
// characters (O/0, I/1, 8/B, 5/S, 2/Z, 6/G, D/0) are settled by their position, as a deployed
// reader configured for its region does. The formats are written from public descriptions of each
// state's plates (data/recognition/plate-formats.csv names the source of every row), never from a
// measuring set. Vanity plates exist: a format is a preference, never a filter.
#include <opencv2/core.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace alprsim::recognition {

// One serial format: '#' a digit, '@' a letter, '?' either, per position; letters the issuer
// does not use at letter positions (Massachusetts: I, O, Q) are never read there.
struct PlateFormat {
    std::string pattern;
    std::string lettersNotUsed;
    // Whether character c may stand at position i (i < pattern.size()).
    bool allows(size_t i, char c) const;
    bool matches(std::string_view text) const;
};

class PlateFormats {
public:
    // Reads a CSV with columns region,format,issued,letters_not_used,source (by name, any
    // order). Throws InputError naming the file, the row and the field that is wrong.
    static PlateFormats load(const std::filesystem::path& csv);
    // data/recognition/plate-formats.csv (recognitionDataDir()), read once. Thread-safe.
    static const PlateFormats& standard();
    // A region's formats (lower-case code: "ma", "ny", "dc", "br"), or nullptr if none are known.
    const std::vector<PlateFormat>* of(std::string_view region) const;
    std::vector<std::string> regions() const;

private:
    std::map<std::string, std::vector<PlateFormat>, std::less<>> byRegion_;
};

// A reading with its log-likelihood under the reader's probabilities.
struct FormatReading {
    std::string text;                    // empty: no reading fits
    std::vector<double> charConfidence;  // each character's share among the classes its position allows
    double logScore = -1e300;
    bool found() const { return !text.empty(); }
};

// Per-character rows (kClassCount probabilities each, the last CTC's blank / junk): the likeliest
// string fitting one of the formats, read from rows[first..last] or, where a format is one shorter,
// with the first or the last row taken for junk (a bolt, a frame edge; it costs that row's log
// junk probability).
FormatReading bestRowReading(const cv::Mat& probabilities, const std::vector<int>& rows, const std::vector<PlateFormat>& formats);

// The line reader's per-step probabilities (rows: output columns, kClassCount each, the last
// class CTC's blank): the best CTC path whose characters fit one of the formats, of any length the
// formats have (so a read one character too long or too short can come out right). Each
// character's confidence is its share among its position's classes at its most probable step.
FormatReading bestPathReading(const cv::Mat& stepProbabilities, const std::vector<PlateFormat>& formats);

// The probability of reading a digit (a row of kClassCount probabilities) in the grouped reading
// of a plate (letters and digits in groups, plate_reader.h's SyntaxRule::Any): its own, or for 1
// and 0 that of I and O times kDigitForLetterShare, whichever is larger. Most US states do not
// issue I and O, the look-alikes of 1 and 0, and the readers take many real plates' 1 for an I
// (the largest confusion on the real Brazilian development crops, 36 times): so a 1 read as I
// between digits, or at the end of a group of digits, reads 1 (a change of kind costs more than
// the share; at a group's inner edge the recogniser still decides). Digits are
// never read as letters this way: some states' serials put single digits among letters
// (Alabama's county-coded 12A3B45), and the development sets lost reads where they were.
double digitSettledProbability(const double* probabilities, char digit);
// Chosen on the development sets (recognition/README.md, "Look-alikes among digits"): 1/4 and 1
// read fewer of the matched set or the rendered sets.
constexpr double kDigitForLetterShare = 0.5;

// The log-likelihood of the best CTC path with no constraint (the greedy path).
double bestPathLogScore(const cv::Mat& stepProbabilities);

// How much log-likelihood a format-fitting reading may cost against the unconstrained one and
// still be preferred: chosen on the development sets (recognition/README.md, "Plate syntax").
constexpr double kFormatPreferenceRows = 3.0;  // about log 20, as Massachusetts' preference; log 7 and log 150 read no more
constexpr double kFormatPreferencePath = 3.0;

}  // namespace alprsim::recognition
