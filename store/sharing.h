#pragma once
// Sharing: which reads leave the agency that collected them, and who may search them.
//   local     each agency keeps its own reads; nobody else can search them.
//   pooled    every read of a participating agency also goes to the state store (the CJIS
//             model), which every participating agency may search.
//   hits-only only reads that matched the hot list go to the state store.
// Beside the mode, agreements between neighbours: an agency that shares with named neighbours
// by agreement sends every read it makes to their stores too, where they search it as their own.
#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alprsim {

enum class SharingMode { Local, Pooled, HitsOnly };

std::string_view toString(SharingMode mode);
std::optional<SharingMode> parseSharingMode(std::string_view text);

struct SharingPolicy {
    SharingMode mode = SharingMode::Local;
    // Agencies that send reads to and search the state store. nullopt: every agency. An agency
    // may participate without owning cameras (a state or federal agency that only searches).
    std::optional<std::vector<std::string>> participants;
    // Agency -> the neighbours its reads also go to (sorted, distinct), by agreement.
    std::map<std::string, std::vector<std::string>> agreements;

    bool participates(const std::string& agency) const;
    // Whether a read collected by `agency` is copied to the state store.
    bool sendsToState(const std::string& agency, bool hit) const;
    // Whether `agency` may search the state store.
    bool canSearchState(const std::string& agency) const;
    // The neighbours whose stores receive `agency`'s reads by agreement (none: empty).
    const std::vector<std::string>& sharesWith(const std::string& agency) const;

    // JSON shape: {"mode": "local" | "pooled" | "hits-only", "participants": ["Boston", ...],
    //              "agreements": {"Cambridge": ["Somerville"], ...}}; the last two are optional.
    static SharingPolicy fromJson(const nlohmann::json& j, const std::string& file, const std::string& path);
    nlohmann::json toJson() const;
};

}  // namespace alprsim
