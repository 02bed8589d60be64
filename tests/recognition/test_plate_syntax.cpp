// Per-region plate syntax (plate_syntax.h): the formats file, reading rows of character
// probabilities and CTC steps held to a region's formats, look-alikes settled by position,
// vanity plates left as read, and the reader configured for a region.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "recognition/char_classifier.h"
#include "recognition/plate_reader.h"
#include "recognition/plate_syntax.h"
#include "recognition/renderer.h"
#include "tests/support/process.h"

using namespace alprsim;
using namespace alprsim::recognition;

namespace {

// One row per character: `best` at 0.9 (or `p`), the rest spread thin, no junk.
cv::Mat sureRows(const std::string& best, double p = 0.9) {
    cv::Mat rows(static_cast<int>(best.size()), kClassCount, CV_64F, cv::Scalar((1.0 - p) / (kClassCount - 1)));
    for (size_t i = 0; i < best.size(); ++i) rows.at<double>(static_cast<int>(i), classOf(best[i])) = p;
    return rows;
}

std::vector<int> allRows(const cv::Mat& m) {
    std::vector<int> rows;
    for (int r = 0; r < m.rows; ++r) rows.push_back(r);
    return rows;
}

// CTC steps: each character of `text` one step at `p`, a blank step (at 0.95) between; '_' in text
// is a blank step.
cv::Mat steps(const std::string& text, double p = 0.95) {
    std::vector<int> classes{kJunkClass};
    for (char c : text) {
        classes.push_back(c == '_' ? kJunkClass : classOf(c));
        classes.push_back(kJunkClass);
    }
    cv::Mat m(static_cast<int>(classes.size()), kClassCount, CV_64F, cv::Scalar((1.0 - p) / (kClassCount - 1)));
    for (size_t t = 0; t < classes.size(); ++t) m.at<double>(static_cast<int>(t), classes[t]) = p;
    return m;
}

std::vector<PlateFormat> formats(std::initializer_list<const char*> patterns, const char* notUsed = "") {
    std::vector<PlateFormat> out;
    for (const char* p : patterns) out.push_back({p, notUsed});
    return out;
}

std::filesystem::path writeFile(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("alprsim-syntax-test-" + name);
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("a format says which characters may stand where", "[recognition][syntax][region]") {
    const PlateFormat ma{"###@@#", "IOQ"};
    CHECK(ma.matches("152AB3"));
    CHECK_FALSE(ma.matches("152AO3"));  // O is not issued in Massachusetts
    CHECK_FALSE(ma.matches("1S2AB3"));
    CHECK_FALSE(ma.matches("152AB"));
    const PlateFormat az{"???#??", ""};
    CHECK(az.matches("AB1234"));
    CHECK(az.matches("1B23CD"));
    CHECK_FALSE(az.matches("ABCDEF"));
    const PlateFormat fixed{"TR###@@", ""};
    CHECK(fixed.matches("TR123AB"));
    CHECK_FALSE(fixed.matches("TX123AB"));
}

TEST_CASE("the formats file covers every state, DC and Brazil, each row with its source", "[recognition][syntax][region]") {
    const PlateFormats& standard = PlateFormats::standard();
    const std::vector<std::string> us = {"al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id",
                                         "il", "in", "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo",
                                         "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa",
                                         "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy"};
    for (const std::string& state : us) {
        INFO(state);
        REQUIRE(standard.of(state) != nullptr);
        CHECK_FALSE(standard.of(state)->empty());
    }
    CHECK(standard.of("br") != nullptr);
    CHECK(standard.of("MA") == standard.of("ma"));
    CHECK(standard.of("eu") == nullptr);
    // Massachusetts' formats are the simulation's (core/plate.h).
    for (const char* plate : {"152AB3", "1AB234", "1ABC23", "123456", "123ABC", "1234AB", "12AB34"}) {
        const auto& ma = *standard.of("ma");
        CHECK(std::any_of(ma.begin(), ma.end(), [&](const PlateFormat& f) { return f.matches(plate); }));
    }
}

TEST_CASE("a bad formats file is refused naming the file, row and field", "[recognition][syntax][region]") {
    const auto good =
        writeFile("good.csv", "region,format,issued,letters_not_used,source\nXX,@@@###,now,,somewhere\nxx,###,,IO,there\n");
    const PlateFormats loaded = PlateFormats::load(good);
    REQUIRE(loaded.of("xx") != nullptr);
    CHECK(loaded.of("xx")->size() == 2);
    CHECK(loaded.of("xx")->at(1).lettersNotUsed == "IO");
    const auto badFormat = writeFile("bad-format.csv", "region,format,issued,letters_not_used,source\nxx,@@-###,,,s\n");
    CHECK_THROWS_WITH(PlateFormats::load(badFormat), Catch::Contains("bad-format.csv") && Catch::Contains("row 2 format"));
    const auto noSource = writeFile("no-source.csv", "region,format,issued,letters_not_used,source\nxx,@@###,,,\n");
    CHECK_THROWS_WITH(PlateFormats::load(noSource), Catch::Contains("row 2 source"));
    const auto noColumn = writeFile("no-column.csv", "region,format,source\nxx,@@###,s\n");
    CHECK_THROWS_WITH(PlateFormats::load(noColumn), Catch::Contains("letters_not_used"));
    const auto ragged = writeFile("ragged.csv", "region,format,issued,letters_not_used,source\nxx,@@###\n");
    CHECK_THROWS_AS(PlateFormats::load(ragged), InputError);
    for (const auto& p : {good, badFormat, noSource, noColumn, ragged}) std::filesystem::remove(p);
}

TEST_CASE("look-alikes are settled by position, however sure the recogniser was", "[recognition][syntax][region]") {
    // California's 1ABC234 read as IABC234 with the I at 0.9: the leading position is a digit.
    const cv::Mat rows = sureRows("IABC234");
    const FormatReading fit = bestRowReading(rows, allRows(rows), formats({"#@@@###"}));
    CHECK(fit.text == "1ABC234");
    REQUIRE(fit.charConfidence.size() == 7);
    CHECK(fit.charConfidence[0] > 0.85);  // the format settles the kind: 1 is the only digit like I
    // O/0, 8/B, 5/S, 2/Z, 6/G, D/0 in both directions.
    CHECK(bestRowReading(sureRows("0B5Z6D"), allRows(sureRows("0B5Z6D")), formats({"@#@#@#"})).text == "O8S2G0");
    CHECK(applySyntax(sureRows("IABC234"), Syntax{SyntaxRule::Region, nullptr}).text == "IABC234");  // no formats: as any plate
}

TEST_CASE("any plate: an I or O among digits reads 1 or 0, never a digit as a letter", "[recognition][syntax]") {
    // The line reader sure of an I (0.98) between digits and of an O at the end of a digit group.
    CHECK(applySyntax(sureRows("HQG3I80", 0.98), SyntaxRule::Any).text == "HQG3180");
    CHECK(applySyntax(sureRows("ABC12O", 0.98), SyntaxRule::Any).text == "ABC120");
    CHECK(digitSettledProbability(sureRows("I").ptr<double>(0), '1') == Approx(0.9 * kDigitForLetterShare));
    // Where the neighbours do not settle the kind (a group's inner edge), the recogniser decides.
    CHECK(applySyntax(sureRows("BXHI988", 0.98), SyntaxRule::Any).text == "BXHI988");
    // Letters among letters stay, and a digit among letters is not read as its look-alike letter
    // (Alabama's county-coded serials put single digits among letters).
    CHECK(applySyntax(sureRows("KWIK", 0.98), SyntaxRule::Any).text == "KWIK");
    CHECK(applySyntax(sureRows("AB8CD", 0.98), SyntaxRule::Any).text == "AB8CD");
    CHECK(applySyntax(sureRows("34F6H1D", 0.98), SyntaxRule::Any).text == "34F6H1D");
}

TEST_CASE("a region's formats are preferred, a vanity plate stays as read", "[recognition][syntax][region]") {
    const std::vector<PlateFormat> ny = formats({"@@@####", "@@@###"});
    const Syntax region{SyntaxRule::Region, &ny};
    // ABC1234 with the 1 read as I and the 0 as O: both settled.
    CHECK(applySyntax(sureRows("ABCI2O4"), region).text == "ABC1204");
    CHECK(applySyntax(sureRows("ABCI2O4"), SyntaxRule::Any).text != "ABC1204");
    // A vanity plate (no format of this length and kind): the K and the W are no look-alikes
    // of any digit, so no format reading comes close and the read stands.
    CHECK(applySyntax(sureRows("KWIK12"), region).text == "KWIK12");
    CHECK(applySyntax(sureRows("GOPATS"), region).text == "GOPATS");
}

TEST_CASE("a bolt read at an end of the row is dropped when a format fits without it", "[recognition][syntax][region]") {
    cv::Mat rows = sureRows("ABC1234I");
    rows.row(7).setTo(0.01);
    rows.at<double>(7, classOf('I')) = 0.5;
    rows.at<double>(7, kJunkClass) = 0.4;  // under 0.5: applySyntax keeps it as a character
    const std::vector<PlateFormat> ny = formats({"@@@####"});
    CHECK(applySyntax(rows, Syntax{SyntaxRule::Region, &ny}).text == "ABC1234");
    // A sure eighth character is not dropped: its junk probability is tiny.
    CHECK(applySyntax(sureRows("ABC12345"), Syntax{SyntaxRule::Region, &ny}).text == "ABC12345");
}

TEST_CASE("the CTC path held to a format settles look-alikes and the length", "[recognition][syntax][region]") {
    // Greedy A1B2 under @@##: the 1 must be a letter (I), the B a digit (8).
    const cv::Mat s = steps("A1B2");
    CHECK(bestPathReading(s, formats({"@@##"})).text == "AI82");
    CHECK(bestPathReading(s, formats({"@#@#"})).text == "A1B2");
    // Two like characters need a blank between them: "11" under ## is two steps apart.
    CHECK(bestPathReading(steps("1_1"), formats({"##"})).text == "11");
    // One peak too many, unsure (0.55, blank 0.4): the format's length drops it.
    cv::Mat extra = steps("AB123X");
    const int xStep = extra.rows - 2;
    extra.row(xStep).setTo(0.05 / (kClassCount - 2));
    extra.at<double>(xStep, classOf('X')) = 0.55;
    extra.at<double>(xStep, kJunkClass) = 0.4;
    const FormatReading five = bestPathReading(extra, formats({"@@###"}));
    CHECK(five.text == "AB123");
    CHECK(five.logScore <= bestPathLogScore(extra));
    CHECK(five.logScore > bestPathLogScore(extra) - kFormatPreferencePath);
    // No format as long as the steps allow: nothing found.
    CHECK_FALSE(bestPathReading(steps("AB"), formats({"@@@@@@@@@"})).found());
}

TEST_CASE("the line reader's read takes the CTC path only where its characters fit no format", "[recognition][syntax][region]") {
    cv::Mat extra = steps("AB123X");
    const int xStep = extra.rows - 2;
    extra.row(xStep).setTo(0.05 / (kClassCount - 2));
    extra.at<double>(xStep, classOf('X')) = 0.55;
    extra.at<double>(xStep, kJunkClass) = 0.4;
    LineRead line;
    line.steps = extra;
    line.characters = sureRows("AB123X", 0.55);
    const std::vector<PlateFormat> five = formats({"@@###"});
    CHECK(applyLineSyntax(line, Syntax{SyntaxRule::Region, &five, false}).text == "AB123X");  // off by default
    CHECK(applyLineSyntax(line, Syntax{SyntaxRule::Region, &five, true}).text == "AB123");
    const std::vector<PlateFormat> six = formats({"@@###@"});
    CHECK(applyLineSyntax(line, Syntax{SyntaxRule::Region, &six, true}).text == "AB123X");
}

TEST_CASE("a reader configured for its region reads that region's plates", "[recognition][syntax][region][reader]") {
    PlateReaderOptions options;
    options.syntax = SyntaxRule::Region;
    options.region = "ma";
    const PlateReader reader(options);
    const auto capture = renderCapture("472KT9", massachusettsStyle(), goodConditions(150), 7, FrameKind::PlateCrop);
    CHECK(reader.read(capture.image).text == "472KT9");
    const PlateReader plain;
    CHECK(plain.read(capture.image, "ma").text == "472KT9");
    CHECK(plain.read(capture.image, "unknown-region").text == plain.read(capture.image).text);
    options.region = "xx";
    CHECK_THROWS_AS(PlateReader(options), std::invalid_argument);
}

TEST_CASE("recognize reads with the truth's state or a given one, and refuses an unknown region",
          "[recognition][syntax][region][e2e]") {
    const std::string dir = test::freshDir("recognize-state");
    REQUIRE(test::runProcess({test::alprsimBinary(), "render", "--out", dir + "/ny", "--style", "NY", "--kind", "crop", "--plate",
                              "ABC1234", "--count", "2"})
                .exitCode == 0);
    std::ofstream(dir + "/truth.csv") << "file,state,plate\ncapture_0000.png,ny,ABC1234\ncapture_0001.png,ny,ABC1234\n";
    for (const std::vector<std::string>& region : {std::vector<std::string>{"--state-from-truth"}, {"--state", "NY"}}) {
        std::vector<std::string> args = {test::alprsimBinary(), "recognize", "--images",      dir + "/ny", "--truth",
                                         dir + "/truth.csv",    "--out",     dir + "/out.csv"};
        args.insert(args.end(), region.begin(), region.end());
        const auto r = test::runProcess(args);
        INFO(r.output);
        REQUIRE(r.exitCode == 0);
        CHECK(r.output.find("overall 2/2") != std::string::npos);
    }
    const auto unknown =
        test::runProcess({test::alprsimBinary(), "recognize", "--images", dir + "/ny", "--state", "zz", "--out", dir + "/x.csv"});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.output.find("--state") != std::string::npos);
    CHECK(unknown.output.find("plate-formats.csv") != std::string::npos);
    const auto noTruth = test::runProcess(
        {test::alprsimBinary(), "recognize", "--images", dir + "/ny", "--state-from-truth", "--out", dir + "/x.csv"});
    CHECK(noTruth.exitCode == 2);
    CHECK(noTruth.output.find("--truth") != std::string::npos);
}
