#include "store/sharing.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/error.h"
#include "core/json_reader.h"

namespace alprsim {

std::string_view toString(SharingMode mode) {
    switch (mode) {
        case SharingMode::Local:
            return "local";
        case SharingMode::Pooled:
            return "pooled";
        case SharingMode::HitsOnly:
            return "hits-only";
    }
    return "local";
}

std::optional<SharingMode> parseSharingMode(std::string_view text) {
    for (SharingMode m : {SharingMode::Local, SharingMode::Pooled, SharingMode::HitsOnly})
        if (toString(m) == text) return m;
    return std::nullopt;
}

bool SharingPolicy::participates(const std::string& agency) const {
    if (mode == SharingMode::Local) return false;
    if (!participants) return true;
    return std::find(participants->begin(), participants->end(), agency) != participants->end();
}

bool SharingPolicy::sendsToState(const std::string& agency, bool hit) const {
    if (!participates(agency)) return false;
    return mode == SharingMode::Pooled || hit;
}

bool SharingPolicy::canSearchState(const std::string& agency) const { return participates(agency); }

const std::vector<std::string>& SharingPolicy::sharesWith(const std::string& agency) const {
    static const std::vector<std::string> none;
    const auto found = agreements.find(agency);
    return found == agreements.end() ? none : found->second;
}

namespace {

// A JSON array of agency names, sorted and distinct.
std::vector<std::string> agencyNames(const nlohmann::json& list, const std::string& file, const std::string& path) {
    if (!list.is_array()) throw InputError(file, path, "an array of agency names");
    std::vector<std::string> names;
    for (size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string() || list[i].get<std::string>().empty())
            throw InputError(file, path + "/" + std::to_string(i), "an agency name (non-empty string)");
        names.push_back(list[i].get<std::string>());
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

}  // namespace

SharingPolicy SharingPolicy::fromJson(const nlohmann::json& j, const std::string& file, const std::string& path) {
    JsonObjectReader obj(j, file, path);
    SharingPolicy policy;
    const std::optional<SharingMode> mode = parseSharingMode(obj.requiredString("mode"));
    if (!mode) throw InputError(file, path + "/mode", "one of \"local\", \"pooled\", \"hits-only\"");
    policy.mode = *mode;
    if (obj.has("participants")) policy.participants = agencyNames(j.at("participants"), file, path + "/participants");
    if (obj.has("agreements")) {
        const nlohmann::json& byAgency = j.at("agreements");
        if (!byAgency.is_object())
            throw InputError(file, path + "/agreements", "an object: agency -> the neighbours it shares its reads with");
        for (const auto& [agency, partners] : byAgency.items()) {
            const std::string at = path + "/agreements/" + agency;
            std::vector<std::string> names = agencyNames(partners, file, at);
            if (std::find(names.begin(), names.end(), agency) != names.end())
                throw InputError(file, at, "other agencies than " + agency + " itself");
            if (!names.empty()) policy.agreements[agency] = std::move(names);
        }
    }
    obj.finish();
    return policy;
}

nlohmann::json SharingPolicy::toJson() const {
    nlohmann::json j{{"mode", std::string(toString(mode))}};
    if (participants) j["participants"] = *participants;
    if (!agreements.empty()) j["agreements"] = agreements;
    return j;
}

}  // namespace alprsim
