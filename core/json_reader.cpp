#include "core/json_reader.h"

#include <cmath>

#include "core/error.h"

namespace alprsim {

namespace {
std::string formatBound(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}
}  // namespace

std::string describeJsonType(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::boolean: return "a boolean";
        case nlohmann::json::value_t::string: return "a string";
        case nlohmann::json::value_t::array: return "an array";
        case nlohmann::json::value_t::object: return "an object";
        default: return "the number " + value.dump();
    }
}

JsonObjectReader::JsonObjectReader(const nlohmann::json& value, std::string file, std::string path)
    : value_(value), file_(std::move(file)), path_(std::move(path)) {
    if (!value_.is_object())
        throw InputError(file_, path_.empty() ? "/" : path_, "an object, got " + describeJsonType(value_));
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
    const std::string v = requiredString(key);
    if (choices.count(v)) return v;
    std::string list;
    for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + ("\"" + c + "\"");
    fail(key, "one of " + list + ", got \"" + v + "\"");
}

double JsonObjectReader::requiredNumber(const std::string& key, double min, double max) {
    const auto& v = field(key);
    if (!v.is_number()) fail(key, "a number from " + formatBound(min) + " to " + formatBound(max) + ", got " + describeJsonType(v));
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
    if (v.size() > maxItems) fail(key, "an array of at most " + std::to_string(maxItems) + " items, got " + std::to_string(v.size()));
    return v;
}

void JsonObjectReader::finish() const {
    for (const auto& [key, unused] : value_.items()) {
        if (known_.count(key)) continue;
        std::string known;
        for (const std::string& k : known_) known += (known.empty() ? "" : ", ") + k;
        throw InputError(file_, pathOf(key), "a known field; \"" + key + "\" is not one (known here: " + known + ")");
    }
}

}  // namespace alprsim
