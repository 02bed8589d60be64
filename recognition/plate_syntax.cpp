#include "recognition/plate_syntax.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "recognition/char_classifier.h"
#include "recognition/plate_reader.h"

namespace alprsim::recognition {

namespace {

constexpr int kCharacters = kJunkClass;  // the 36 plate characters; class kJunkClass is junk / blank
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double logOf(double p) { return std::log(std::max(1e-12, p)); }

bool isLetter(char c) { return c >= 'A' && c <= 'Z'; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Characters that plate faces draw alike. Where a position allows only one of a pair, reading
// the other there costs a fixed amount of log-likelihood, however sure the recogniser was: its
// probabilities between look-alikes come from our faces, not the state's. The closest pairs
// cost log 4 (chosen on the development sets, recognition/README.md "Plate syntax": log 2 and
// log 12 read fewer); the looser ones (0 as D or Q, 1 as L or T, 4/A, 7/T) log 8, so that a
// round 0 where a letter must stand reads O.
struct LookAlike {
    char a, b;
    double cost;
};
constexpr double kLookAlikeCost = 1.4;
constexpr double kLooseLookAlikeCost = 2.1;
constexpr std::array<LookAlike, 12> kLookAlikes = {{{'0', 'O', kLookAlikeCost},
                                                    {'1', 'I', kLookAlikeCost},
                                                    {'2', 'Z', kLookAlikeCost},
                                                    {'5', 'S', kLookAlikeCost},
                                                    {'6', 'G', kLookAlikeCost},
                                                    {'8', 'B', kLookAlikeCost},
                                                    {'0', 'D', kLooseLookAlikeCost},
                                                    {'0', 'Q', kLooseLookAlikeCost},
                                                    {'1', 'L', kLooseLookAlikeCost},
                                                    {'1', 'T', kLooseLookAlikeCost},
                                                    {'4', 'A', kLooseLookAlikeCost},
                                                    {'7', 'T', kLooseLookAlikeCost}}};

// The classes each position of a format allows, as a table looked up per step.
std::vector<std::array<bool, kCharacters>> allowedClasses(const PlateFormat& format) {
    std::vector<std::array<bool, kCharacters>> allowed(format.pattern.size());
    for (size_t i = 0; i < format.pattern.size(); ++i) {
        for (int k = 0; k < kCharacters; ++k)
            allowed[i][static_cast<size_t>(k)] = format.allows(i, kCharacterClasses[static_cast<size_t>(k)]);
    }
    return allowed;
}

// The best allowed class of one row of probabilities, and its share among the allowed classes.
struct Pick {
    int k = -1;
    double logScore = 0, share = 0;
};

// The log-likelihood of reading class k where `allowed` says what may stand: its own, or a
// look-alike's that may not stand there less the pair's cost, whichever is larger.
double positionLogScore(const double* logp, int k, const std::array<bool, kCharacters>& allowed) {
    double best = logp[k];
    const char c = kCharacterClasses[static_cast<size_t>(k)];
    for (const LookAlike& pair : kLookAlikes) {
        const char other = c == pair.a ? pair.b : c == pair.b ? pair.a : 0;
        if (!other) continue;
        const int j = classOf(other);
        if (!allowed[static_cast<size_t>(j)]) best = std::max(best, logp[j] - pair.cost);
    }
    return best;
}

// The best class a position allows (by positionLogScore), and its share among them.
Pick bestAllowed(const double* logp, const std::array<bool, kCharacters>& allowed) {
    Pick best;
    double mass = 0;
    for (int k = 0; k < kCharacters; ++k) {
        if (!allowed[static_cast<size_t>(k)]) continue;
        const double score = positionLogScore(logp, k, allowed);
        mass += std::exp(score);
        if (best.k < 0 || score > best.logScore) best = {k, score, 0};
    }
    best.share = best.k < 0 ? 0 : std::min(1.0, std::exp(best.logScore) / std::max(1e-12, mass));
    return best;
}

// One format read from the given rows (as many as the format has positions).
FormatReading readRows(const cv::Mat& probs, const std::vector<int>& rows, const PlateFormat& format, double extraLog) {
    FormatReading out;
    out.logScore = extraLog;
    const auto allowed = allowedClasses(format);
    for (size_t i = 0; i < rows.size(); ++i) {
        const double* p = probs.ptr<double>(rows[i]);
        std::array<double, kClassCount> logp{};
        for (int k = 0; k < kClassCount; ++k) logp[static_cast<size_t>(k)] = logOf(p[k]);
        const Pick pick = bestAllowed(logp.data(), allowed[i]);
        if (pick.k < 0) return {};
        out.text += kCharacterClasses[static_cast<size_t>(pick.k)];
        out.charConfidence.push_back(pick.share);
        out.logScore += pick.logScore;
    }
    return out;
}

// The characters along a CTC path (a state per step, as searchPath numbers them), each with the
// share of its class among its position's classes at its most probable step.
FormatReading charactersAlong(const std::vector<int>& path, const cv::Mat& logp, int length,
                              const std::vector<std::array<bool, kCharacters>>& allowed) {
    FormatReading out;
    int previous = -1;
    for (int t = 0; t < logp.rows; ++t) {
        const int s = path[static_cast<size_t>(t)];
        if (s <= length) {  // a blank
            previous = -1;
            continue;
        }
        const int k = (s - length - 1) / kCharacters, c = (s - length - 1) % kCharacters;
        const double* lt = logp.ptr<double>(t);
        double mass = 0;
        for (int j = 0; j < kCharacters; ++j) {
            if (allowed[static_cast<size_t>(k)][static_cast<size_t>(j)])
                mass += std::exp(positionLogScore(lt, j, allowed[static_cast<size_t>(k)]));
        }
        const double share =
            std::min(1.0, std::exp(positionLogScore(lt, c, allowed[static_cast<size_t>(k)])) / std::max(1e-12, mass));
        if (s != previous) {
            out.text += kCharacterClasses[static_cast<size_t>(c)];
            out.charConfidence.push_back(share);
        } else {
            out.charConfidence.back() = std::max(out.charConfidence.back(), share);
        }
        previous = s;
    }
    return out;
}

// Constrained CTC Viterbi for one format (logp: T x kClassCount log probabilities). States: 0..L
// "k characters emitted, now in a blank"; L+1+(k-1)*36+c "in character k, of class c". A
// character keeps its class over the steps it spans, and two characters of one class need a blank
// between them, as CTC decodes.
FormatReading searchPath(const cv::Mat& logp, const PlateFormat& format) {
    const int steps = logp.rows, length = static_cast<int>(format.pattern.size());
    if (length == 0 || length > steps) return {};
    const auto allowed = allowedClasses(format);
    const int states = (length + 1) + length * kCharacters;
    const auto chState = [&](int k, int c) { return (length + 1) + (k - 1) * kCharacters + c; };
    std::vector<double> score(static_cast<size_t>(states), kNegInf), next(score.size());
    std::vector<int> from(static_cast<size_t>(steps * states), -1);  // each state's previous state, per step
    const auto at = [](const std::vector<double>& v, int i) { return v[static_cast<size_t>(i)]; };
    const double* l0 = logp.ptr<double>(0);
    score[0] = l0[kJunkClass];
    for (int c = 0; c < kCharacters; ++c) {
        if (allowed[0][static_cast<size_t>(c)]) score[static_cast<size_t>(chState(1, c))] = positionLogScore(l0, c, allowed[0]);
    }
    for (int t = 1; t < steps; ++t) {
        const double* lt = logp.ptr<double>(t);
        int* back = &from[static_cast<size_t>(t * states)];
        std::fill(next.begin(), next.end(), kNegInf);
        for (int k = 0; k <= length; ++k) {  // a blank after k characters: from itself or from character k
            int arg = k;
            for (int c = 0; k > 0 && c < kCharacters; ++c) {
                if (at(score, chState(k, c)) > at(score, arg)) arg = chState(k, c);
            }
            if (at(score, arg) > kNegInf) next[static_cast<size_t>(k)] = at(score, arg) + lt[kJunkClass], back[k] = arg;
        }
        for (int k = 1; k <= length; ++k) {
            // Character k-1's best and second-best classes: another class may follow it directly.
            int first = -1, second = -1;
            for (int c = 0; k > 1 && c < kCharacters; ++c) {
                const double s = at(score, chState(k - 1, c));
                if (first < 0 || s > at(score, chState(k - 1, first)))
                    second = first, first = c;
                else if (second < 0 || s > at(score, chState(k - 1, second)))
                    second = c;
            }
            for (int c = 0; c < kCharacters; ++c) {
                if (!allowed[static_cast<size_t>(k - 1)][static_cast<size_t>(c)]) continue;
                const int here = chState(k, c), other = first == c ? second : first;
                int arg = here;
                if (at(score, k - 1) > at(score, arg)) arg = k - 1;
                if (other >= 0 && at(score, chState(k - 1, other)) > at(score, arg)) arg = chState(k - 1, other);
                if (at(score, arg) > kNegInf) {
                    next[static_cast<size_t>(here)] =
                        at(score, arg) + positionLogScore(lt, c, allowed[static_cast<size_t>(k - 1)]);
                    back[here] = arg;
                }
            }
        }
        score.swap(next);
    }
    int end = length;
    for (int c = 0; c < kCharacters; ++c) {
        if (at(score, chState(length, c)) > at(score, end)) end = chState(length, c);
    }
    if (!(at(score, end) > kNegInf)) return {};
    std::vector<int> path(static_cast<size_t>(steps));
    path.back() = end;
    for (int t = steps - 1; t > 0; --t)
        path[static_cast<size_t>(t - 1)] = from[static_cast<size_t>(t * states + path[static_cast<size_t>(t)])];
    FormatReading out = charactersAlong(path, logp, length, allowed);
    out.logScore = at(score, end);
    return out;
}

std::string lowerCase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

}  // namespace

bool PlateFormat::allows(size_t i, char c) const {
    const char f = pattern[i];
    if (f == '#') return isDigit(c);
    const bool letterOk = isLetter(c) && lettersNotUsed.find(c) == std::string::npos;
    if (f == '@') return letterOk;
    if (f == '?') return isDigit(c) || letterOk;
    return f == c;
}

bool PlateFormat::matches(std::string_view text) const {
    if (text.size() != pattern.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        if (!allows(i, text[i])) return false;
    }
    return true;
}

PlateFormats PlateFormats::load(const std::filesystem::path& csv) {
    std::istringstream in(readTextFile(csv, kTextInput));
    CsvReader table(in, csv.string());
    const size_t region = table.column("region"), format = table.column("format"), notUsed = table.column("letters_not_used");
    const size_t source = table.column("source");  // every row names where its format comes from
    PlateFormats out;
    while (table.next()) {
        const std::vector<std::string>& f = table.row();
        const std::string where = "row " + std::to_string(table.rowNumber());
        PlateFormat pf{f[format], f[notUsed]};
        const bool patternOk = !pf.pattern.empty() && pf.pattern.size() <= 9 &&
                               std::all_of(pf.pattern.begin(), pf.pattern.end(),
                                           [](char c) { return c == '#' || c == '@' || c == '?' || isLetter(c) || isDigit(c); });
        if (!patternOk) throw InputError(csv.string(), where + " format", "1-9 of # (digit), @ (letter), ? (either) or A-Z0-9");
        if (!std::all_of(pf.lettersNotUsed.begin(), pf.lettersNotUsed.end(), isLetter)) {
            throw InputError(csv.string(), where + " letters_not_used", "letters A-Z");
        }
        if (f[source].empty())
            throw InputError(csv.string(), where + " source", "where the format comes from (a public description)");
        const std::string code = lowerCase(f[region]);
        if (code.empty()) throw InputError(csv.string(), where + " region", "a region code such as ma");
        out.byRegion_[code].push_back(std::move(pf));
    }
    return out;
}

const PlateFormats& PlateFormats::standard() {
    static const PlateFormats formats = load(recognitionDataDir() / "plate-formats.csv");
    return formats;
}

const std::vector<PlateFormat>* PlateFormats::of(std::string_view region) const {
    const auto it = byRegion_.find(lowerCase(std::string(region)));
    return it == byRegion_.end() ? nullptr : &it->second;
}

std::vector<std::string> PlateFormats::regions() const {
    std::vector<std::string> out;
    for (const auto& [code, formats] : byRegion_) out.push_back(code);
    return out;
}

FormatReading bestRowReading(const cv::Mat& probabilities, const std::vector<int>& rows,
                             const std::vector<PlateFormat>& formats) {
    FormatReading best;
    if (rows.empty()) return best;
    struct Cut {
        std::vector<int> rows;
        double cost;  // log probability that the rows left out are junk
    };
    std::vector<Cut> cuts{{rows, 0.0}};
    if (rows.size() > 2) {
        cuts.push_back(
            {std::vector<int>(rows.begin() + 1, rows.end()), logOf(probabilities.at<double>(rows.front(), kJunkClass))});
        cuts.push_back(
            {std::vector<int>(rows.begin(), rows.end() - 1), logOf(probabilities.at<double>(rows.back(), kJunkClass))});
    }
    for (const Cut& cut : cuts) {
        for (const PlateFormat& format : formats) {
            if (format.pattern.size() != cut.rows.size()) continue;
            FormatReading r = readRows(probabilities, cut.rows, format, cut.cost);
            if (r.found() && r.logScore > best.logScore) best = std::move(r);
        }
    }
    return best;
}

FormatReading bestPathReading(const cv::Mat& stepProbabilities, const std::vector<PlateFormat>& formats) {
    FormatReading best;
    if (stepProbabilities.empty()) return best;
    cv::Mat logp;
    cv::max(stepProbabilities, 1e-12, logp);
    cv::log(logp, logp);
    for (const PlateFormat& format : formats) {
        FormatReading r = searchPath(logp, format);
        if (r.found() && r.logScore > best.logScore) best = std::move(r);
    }
    return best;
}

double bestPathLogScore(const cv::Mat& stepProbabilities) {
    double total = 0;
    for (int t = 0; t < stepProbabilities.rows; ++t) {
        double top = 0;
        cv::minMaxLoc(stepProbabilities.row(t), nullptr, &top);
        total += logOf(top);
    }
    return total;
}

double digitSettledProbability(const double* p, char digit) {
    const char letter = digit == '1' ? 'I' : digit == '0' ? 'O' : 0;
    const double own = p[classOf(digit)];
    return letter ? std::max(own, p[classOf(letter)] * kDigitForLetterShare) : own;
}

}  // namespace alprsim::recognition
