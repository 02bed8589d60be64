#include "core/json_reader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"

namespace alprsim {

namespace {
std::string formatBound(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}
// Text from the file made safe for a terminal: control characters (NUL, ESC, ...) are shown
// as \u escapes, never sent raw.
std::string printable(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\u{:04x}", u);
        else
            out += c;
    }
    return out;
}
// A value from the file, quoted for a message; a long one is cut so the message stays readable.
std::string quotedValue(const std::string& value) {
    constexpr size_t kShown = 60;
    if (value.size() <= kShown) return "\"" + printable(value) + "\"";
    return "\"" + printable(value.substr(0, kShown)) + "...\" (" + std::to_string(value.size()) + " characters)";
}
std::string pointerPart(const std::string& key) {
    std::string part;
    for (const char c : key) part += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return printable(part.size() > 60 ? part.substr(0, 60) + "..." : part);
}

// Parses, refusing a key given twice in one object (the JSON library would keep the last
// silently, so a setting the user believes in could be ignored), and nesting deeper than
// kMaxJsonDepth (refused as the parser reaches it, before it builds the deeper levels).
nlohmann::json parseRefusingDuplicateKeys(const std::string& text, const std::string& file) {
    struct Level {
        bool object;
        std::set<std::string> keys;
        std::string key;   // the member being parsed, in an object
        size_t index = 0;  // the element being parsed, in an array
    };
    std::vector<Level> levels;
    const auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start || event == Event::array_start) {
            if (depth >= kMaxJsonDepth)  // `depth` counts the levels around the one starting
                throw InputError(file, "",
                                 "JSON nested at most " + std::to_string(kMaxJsonDepth) +
                                     " levels deep (arrays and objects), but it goes deeper");
            levels.push_back({event == Event::object_start, {}, {}, 0});
        } else if (event == Event::key) {
            Level& level = levels.back();
            level.key = parsed.get<std::string>();
            if (!level.keys.insert(level.key).second) {
                std::string where;
                for (const Level& l : levels) where += "/" + (l.object ? pointerPart(l.key) : std::to_string(l.index));
                throw InputError(file, where,
                                 "each key at most once in an object; " + quotedValue(level.key) + " is given twice");
            }
        } else {
            if (event == Event::object_end || event == Event::array_end) levels.pop_back();
            if (!levels.empty() && !levels.back().object) ++levels.back().index;  // a value of an array ended
        }
        return true;
    };
    return nlohmann::json::parse(text, callback);
}

// Every string (and key) of a document: at most kMaxJsonStringBytes, and no control characters
// but tab and line break, which would reach a terminal raw (or, NUL, cut a name).
void checkStrings(const nlohmann::json& value, const std::string& file, const std::string& where) {
    auto controlIn = [](const std::string& s, bool allowLayout) {
        return std::find_if(s.begin(), s.end(), [&](char c) {
                   const auto u = static_cast<unsigned char>(c);
                   return (u < 0x20 && !(allowLayout && (c == '\n' || c == '\t'))) || u == 0x7f;
               }) != s.end();
    };
    if (value.is_string()) {
        const std::string& s = value.get_ref<const std::string&>();
        if (s.size() > kMaxJsonStringBytes)
            throw InputError(file, where.empty() ? "/" : where,
                             "a string of at most " + std::to_string(kMaxJsonStringBytes) + " characters, got " + quotedValue(s));
        if (controlIn(s, true))
            throw InputError(file, where.empty() ? "/" : where,
                             "a string without control characters (tab and line break allowed), got " + quotedValue(s));
    } else if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            const std::string at = where + "/" + pointerPart(key);
            if (controlIn(key, false)) throw InputError(file, at, "a key without control characters, got " + quotedValue(key));
            checkStrings(member, file, at);
        }
    } else if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i) checkStrings(value[i], file, where + "/" + std::to_string(i));
    }
}
}  // namespace

nlohmann::json parseUserJson(const std::string& text, const std::string& file) {
    nlohmann::json doc;
    try {
        doc = parseRefusingDuplicateKeys(text, file);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(file, "", std::string("valid JSON (") + e.what() + ")");
    }
    checkStrings(doc, file, "");
    return doc;
}

std::string describeJsonType(const nlohmann::json& value) {
    if (value.is_null()) return "null";
    if (value.is_number()) return "the number " + value.dump();
    return (value.is_array() || value.is_object() ? "an " : "a ") + std::string(value.type_name());  // "a boolean", ...
}

JsonObjectReader::JsonObjectReader(const nlohmann::json& value, std::string file, std::string path)
    : value_(value), file_(std::move(file)), path_(std::move(path)) {
    if (!value_.is_object()) throw InputError(file_, path_.empty() ? "/" : path_, "an object, got " + describeJsonType(value_));
}

void JsonObjectReader::fail(const std::string& key, const std::string& expected) const {
    throw InputError(file_, pathOf(key), expected);
}

bool JsonObjectReader::has(const std::string& key) const {
    known_.insert(key);
    return value_.contains(key);
}

const nlohmann::json& JsonObjectReader::field(const std::string& key) {
    if (!has(key)) fail(key, "a value (this field is required and missing)");
    return value_.at(key);
}

std::string JsonObjectReader::requiredString(const std::string& key) {
    const auto& v = field(key);
    if (!v.is_string()) fail(key, "a string, got " + describeJsonType(v));
    return v.get<std::string>();
}

std::optional<std::string> JsonObjectReader::optionalString(const std::string& key) {
    if (!has(key)) return std::nullopt;
    return requiredString(key);
}

std::string JsonObjectReader::requiredChoice(const std::string& key, const std::set<std::string>& choices) {
    std::string v = requiredString(key);
    if (choices.count(v)) return v;
    std::string list;
    for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + ("\"" + c + "\"");
    fail(key, "one of " + list + ", got " + quotedValue(v));
}

double JsonObjectReader::requiredNumber(const std::string& key, double min, double max) {
    const auto& v = field(key);
    if (!v.is_number())
        fail(key, "a number from " + formatBound(min) + " to " + formatBound(max) + ", got " + describeJsonType(v));
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < min || d > max)
        fail(key, "a number from " + formatBound(min) + " to " + formatBound(max) + ", got " + v.dump());
    return d;
}

std::optional<double> JsonObjectReader::optionalNumber(const std::string& key, double min, double max) {
    if (!has(key)) return std::nullopt;
    return requiredNumber(key, min, max);
}

uint64_t JsonObjectReader::requiredCount(const std::string& key, uint64_t min, uint64_t max) {
    const auto& v = field(key);
    const std::string expected = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    if (v.is_number_unsigned()) {
        const uint64_t n = v.get<uint64_t>();
        if (n >= min && n <= max) return n;
    }
    fail(key, expected + ", got " + (v.is_number() ? v.dump() : describeJsonType(v)));
}

std::optional<uint64_t> JsonObjectReader::optionalCount(const std::string& key, uint64_t min, uint64_t max) {
    if (!has(key)) return std::nullopt;
    return requiredCount(key, min, max);
}

JsonObjectReader JsonObjectReader::requiredObject(const std::string& key) {
    const auto& v = field(key);
    if (!v.is_object()) fail(key, "an object, got " + describeJsonType(v));
    return JsonObjectReader(v, file_, pathOf(key));
}

const nlohmann::json& JsonObjectReader::requiredArray(const std::string& key, size_t maxItems) {
    const auto& v = field(key);
    if (!v.is_array()) fail(key, "an array, got " + describeJsonType(v));
    if (v.size() > maxItems)
        fail(key, "an array of at most " + std::to_string(maxItems) + " items, got " + std::to_string(v.size()));
    return v;
}

void JsonObjectReader::finish() const {
    for (const auto& [key, unused] : value_.items()) {
        if (known_.count(key)) continue;
        std::string known;
        for (const std::string& k : known_) known += (known.empty() ? "" : ", ") + k;
        throw InputError(file_, pathOf(pointerPart(key)),
                         "a known field; " + quotedValue(key) + " is not one (known here: " + known + ")");
    }
}

}  // namespace alprsim
