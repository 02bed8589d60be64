#pragma once
// Strict reading of a JSON object: each field is asked for by name and type, with bounds;
// errors name the file, the JSON path (RFC 6901 pointer) and what was expected. finish()
// rejects keys nobody asked for, so a misspelt option never passes silently.
#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <set>
#include <string>

namespace alprsim {

class JsonObjectReader {
public:
    JsonObjectReader(const nlohmann::json& value, std::string file, std::string path);

    std::string requiredString(const std::string& key);
    std::optional<std::string> optionalString(const std::string& key);
    // One of `choices`; the error lists them.
    std::string requiredChoice(const std::string& key, const std::set<std::string>& choices);
    double requiredNumber(const std::string& key, double min, double max);
    std::optional<double> optionalNumber(const std::string& key, double min, double max);
    uint64_t requiredCount(const std::string& key, uint64_t min, uint64_t max);
    std::optional<uint64_t> optionalCount(const std::string& key, uint64_t min, uint64_t max);
    JsonObjectReader requiredObject(const std::string& key);
    const nlohmann::json& requiredArray(const std::string& key, size_t maxItems);
    bool has(const std::string& key) const;

    // Throws on the first key that was never read.
    void finish() const;

    const std::string& file() const { return file_; }
    const nlohmann::json& value() const { return value_; }  // the object read, e.g. to list its keys
    const std::string& path() const { return path_; }
    std::string pathOf(const std::string& key) const { return path_ + "/" + key; }

private:
    const nlohmann::json& field(const std::string& key);
    [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

    const nlohmann::json& value_;
    std::string file_;
    std::string path_;
    mutable std::set<std::string> known_;  // every key asked for, present or not
};

// Nesting deeper than this is refused while parsing: no input of ours needs more than a few
// levels, and the JSON library's dump, merge and comparison recurse once per level, so a file
// of a million '[' would otherwise overflow the stack.
constexpr int kMaxJsonDepth = 64;

// The longest string a scenario or sweep may hold (a description, a name): far more than any
// needs, and a limit docs/hardening.md states, so that a 50 MB value never reaches results and reports.
constexpr size_t kMaxJsonStringBytes = 10'000;

// Parses JSON text a user wrote. Throws InputError naming `file` (and the JSON path) for text
// that is not JSON, nests deeper than kMaxJsonDepth, gives a key twice in one object, or holds
// a string longer than kMaxJsonStringBytes or with control characters other than tab and line
// break (which would reach a terminal raw).
nlohmann::json parseUserJson(const std::string& text, const std::string& file);

// "a string", "a number", ... for messages.
std::string describeJsonType(const nlohmann::json& value);

}  // namespace alprsim
