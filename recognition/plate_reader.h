#pragma once
// The recognition pipeline: find the plate in a frame (or take a crop as it is), segment its
// characters, recognise each, and apply the plate syntax rules; text with confidences, or a
// no-read.
#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recognition/char_classifier.h"
#include "recognition/char_cnn.h"
#include "recognition/line_reader.h"
#include "recognition/plate_finder.h"
#include "recognition/plate_syntax.h"

namespace alprsim::recognition {

struct PlateRead {
    std::string text;         // empty on a no-read
    double confidence = 0.0;  // 0..1: the weakest character's confidence
    bool noRead = true;
    std::vector<double> charConfidence;  // one per character of text
};

// Every character at least this confident: a read stands without trying other thresholds (or,
// in the line reader, other networks).
constexpr double kSureRead = 0.9;

enum class SyntaxRule {
    Any,                  // any string of 2-9 plate characters, letters and digits read in groups
                          // (a change between them costs likelihood: plate_reader.cpp)
    Massachusetts,        // only the Massachusetts standard formats (core/plate.h); else no-read
    MassachusettsOrSure,  // as Massachusetts, but a six-character vanity text (core/plate.h) or a
                          // seven-character serial (most neighbouring states') where every
                          // character is sure (kSureRead) and the formats' reading is far less
                          // likely or none: the simulation's captures (Recognizer). Shorter vanity
                          // texts stay unread: a standard plate whose first digit is lost reads as
                          // one, sure; allowing them misread 1.8 points more of brookline-
                          // baseline's captures (recognition/README.md, "The fleet's plates")
    PreferMassachusetts,  // a Massachusetts format when the characters allow one, else any
    Region,               // a format of the region's (plate_syntax.h: PlateReaderOptions::region, or the
                          // region given to read()) unless it costs more than kFormatPreferenceRows
                          // of likelihood (a vanity plate), else any; look-alikes settled by position
};

// The syntax one read is held to: a rule, and with SyntaxRule::Region the region's formats.
struct Syntax {
    SyntaxRule rule = SyntaxRule::Any;
    const std::vector<PlateFormat>* formats = nullptr;  // with Region; nullptr: read as Any
    bool lengthFromFormats = false;                     // PlateReaderOptions::lengthFromFormats
};

// The character recogniser: the small CNN (char_cnn.h, the default) or the earlier HOG +
// perceptron (char_classifier.h). Both give kClassCount probabilities per blob.
enum class CharacterModel { Cnn, Mlp };

// How the line reader (line_reader.h: the whole crop at once, no segmentation) takes part.
enum class LineReading {
    Off,       // characters found by segmentation only
    Fallback,  // when segmentation gives no sure read: the line reader's read of the region (or of
               // the plate cut around segmentation's row, where that row is a small part of the
               // region), if every character is above 0.5
    First,     // the line reader's read of the region first; where it is not sure (5+ characters,
               // each at least kSureRead), as Fallback, the surer of the region's and the cut's; a
               // sure segmented read that its longer trusted read holds whole gives way to it
    Only,      // the line reader alone (for comparison)
};

// "off", "fallback", "first" or "only" (command-line options); nullopt for anything else.
std::optional<LineReading> lineReadingNamed(std::string_view name);

struct PlateReaderOptions {
    std::filesystem::path modelPath;  // empty: the default file of `model`; else its kind is read from the file
    CharacterModel model = CharacterModel::Cnn;
    SyntaxRule syntax = SyntaxRule::PreferMassachusetts;
    // With SyntaxRule::Region: the region whose formats reads prefer (PlateFormats::standard(),
    // lower-case code: "ma", "ny", "br"); the constructor throws std::invalid_argument if unknown.
    std::string region;
    // With a region's formats: where the line reader's characters fit none of them, the best CTC
    // path that does, of any length the formats have (plate_syntax.h: bestPathReading). Off by
    // default: on the development sets it read no more than their noise (dev 919 -> 920 of
    // 1,000, cluttered 867 -> 869, Brazilian crops 76 -> 76; recognition/README.md, "Plate syntax").
    bool lengthFromFormats = false;
    double minConfidence = 0.35;            // below this the read is reported as a no-read
    int maxCandidates = 6;                  // plates found in a frame that are read, best found first
    std::filesystem::path finderModelPath;  // empty: defaultPlateFinderModelPath()
    // Last resort when the plain thresholdings give no read, one under 5 characters or one with
    // a character under 0.5: the same thresholdings cut to the character band, touching
    // characters cut apart (segmentation.h, attempts 4-7). Off by default: 8 more of the
    // cluttered development set's 1,000 read (710 -> 718; the plain set unchanged at 932), but
    // not the real crops (366 -> 363), and reading is slower (recognition/README.md).
    bool bandCutFallback = false;
    // First since 7 Dec 2026, with the first line network trained on realistic crops: the
    // development sets' choice (dev 847 -> 845 of 1,000, cluttered 763 -> 789, real Brazilian
    // 54 -> 61 of 126, matched 493 -> 540 of 751 against Fallback); real US crops 461 -> 498 of
    // 751 (recognition/README.md, "Realistic training crops"). The simulation's captures read
    // with Fallback (Recognizer): the same reads there, at less cost.
    LineReading line = LineReading::First;
    // Segmentation looks for dark characters on a light ground only (segmentation.h: the
    // light-on-dark thresholdings skipped), for plates known to print them so. Until 8 Dec 2026
    // the simulation's captures, all Massachusetts standard plates then, read so (it skipped
    // 6,348 of the 24,592 thresholdings of brookline-baseline's 13,080 captures, reading the
    // same); the fleet now carries light-on-dark plates too (Recognizer). Off by default.
    bool darkCharactersOnly = false;
    // The line reader asks its other networks only where the first one's least sure character is
    // at least this (LineReader::read). 0 by default; the simulation's captures 0.3 (Recognizer):
    // there, of the 3,174 times the line reader read brookline-baseline's 13,080 captures, 818
    // had a first read's weakest character under 0.3, whose 1,395 further network runs (a fifth
    // of the line reader's) made 9 reads trusted; without them 7 more captures go unread
    // (exact 84.84 -> 84.79%, misread unchanged) for about a twentieth of a capture's cost.
    double lineOthersFrom = 0;
    // Every read of the line reader checked against the crop's ink: a character read over ink under
    // half the row's height (stacked small letters, a bolt, an end mark), the only one, where every
    // other character stands on ink of the row's height, is dropped (plate_reader.cpp, heights::;
    // recognition/README.md, "Characters' heights").
    bool characterHeights = true;
    // The line reader's networks, the first asked whenever the line reader is (line_reader.h);
    // empty: defaultLineModelPaths().
    std::vector<std::filesystem::path> lineModelPaths;
};

// data/recognition/char_cnn.yml.gz in the source tree, or $ALPRSIM_RECOGNITION_DATA/char_cnn.yml.gz;
// defaultMlpModelPath: char_mlp.yml.gz there.
std::filesystem::path defaultCharacterModelPath();
std::filesystem::path defaultMlpModelPath();
std::filesystem::path recognitionDataDir();

// The syntax rule applied to per-character class probabilities (rows: characters,
// columns: kClassCount classes).
PlateRead applySyntax(const cv::Mat& probabilities, SyntaxRule rule);
PlateRead applySyntax(const cv::Mat& probabilities, const Syntax& syntax);

// The line reader's read (line_reader.h) under a syntax: its characters as applySyntax reads them;
// with a region's formats and syntax.lengthFromFormats, where those characters fit none, the best
// CTC path that fits one (any length the formats have) if it costs at most kFormatPreferencePath
// of likelihood.
PlateRead applyLineSyntax(const LineRead& line, const Syntax& syntax);

// The line reader's read of a crop (grey) without a character that stands on ink much shorter
// than the row's characters (stacked small letters, a bolt, an end mark): the one such character,
// where every other one stands on ink of the row's height, no ink of that height is under it, its
// ink is neither cut by the crop's edge nor a piece of a broken character, and the crop has fewer
// characters of that height than the read; unchanged otherwise. Each
// character's place is its output step (LineRead::columns), about a step behind the character.
// PlateReaderOptions::characterHeights; recognition/README.md, "Characters' heights".
LineRead withoutShortCharacter(LineRead line, const cv::Mat& grey);

// A plate found in a frame and what was read on it (a no-read where nothing could be).
struct FrameRead {
    FoundPlate plate;
    PlateRead read;
};

class PlateReader {
public:
    explicit PlateReader(PlateReaderOptions options = {});
    // Reads a BGR or grey image: a frame, a region around a plate, or a plate crop. An image of
    // at most 720 x 480 is taken for a crop or region and read whole; in a larger one the plate
    // finder looks for plates and the surest of their reads is returned. Thread-safe (const).
    PlateRead read(const cv::Mat& frameOrCrop) const;
    // The same for a plate of a known region (a reader configured for its state): that region's
    // formats are preferred (SyntaxRule::Region); a region with no known formats, or an empty
    // one, reads with options().syntax.
    PlateRead read(const cv::Mat& frameOrCrop, std::string_view region) const;
    // Every plate the finder finds in a frame (any size), each straightened and read, best
    // found first; no-reads included, so that what was found can be counted. Thread-safe.
    std::vector<FrameRead> readFrame(const cv::Mat& frame) const;
    // The same with a region's formats preferred, as read(frameOrCrop, region).
    std::vector<FrameRead> readFrame(const cv::Mat& frame, std::string_view region) const;
    const PlateReaderOptions& options() const { return options_; }

private:
    // The region's formats (SyntaxRule::Region), or options().syntax if it has none or is empty.
    Syntax syntaxFor(std::string_view region) const;
    PlateRead readWith(const cv::Mat& frameOrCrop, const Syntax& syntax) const;
    std::vector<FrameRead> readFrameWith(const cv::Mat& frame, const Syntax& syntax) const;
    PlateRead readRegion(const cv::Mat& grey, const Syntax& syntax) const;
    // The line reader's read of grey, checked against the heights of the ink under its characters
    // where options_.characterHeights asks.
    LineRead readLine(const cv::Mat& grey) const;
    // The read, or a no-read (keeping its confidence) if under options_.minConfidence.
    PlateRead withMinConfidence(PlateRead read) const;
    // rowBox: the row of the best read (or the first row found), in grey's pixels.
    PlateRead readSegmented(const cv::Mat& grey, const Syntax& syntax, cv::Rect& rowBox) const;
    cv::Mat classify(const std::vector<cv::Mat>& glyphs) const;
    PlateReaderOptions options_;
    Syntax syntax_;                              // options_.syntax, with the formats of options_.region
    std::shared_ptr<const CharClassifier> mlp_;  // one of these two
    std::shared_ptr<const CharCnn> cnn_;
    std::shared_ptr<const LineReader> line_;  // unless options_.line is Off
    std::shared_ptr<const PlateFinder> finder_;
};

}  // namespace alprsim::recognition
