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

SharingPolicy SharingPolicy::fromJson(const nlohmann::json& j, const std::string& file, const std::string& path) {
    JsonObjectReader obj(j, file, path);
    SharingPolicy policy;
    const std::optional<SharingMode> mode = parseSharingMode(obj.requiredString("mode"));
    if (!mode) throw InputError(file, path + "/mode", "one of \"local\", \"pooled\", \"hits-only\"");
    policy.mode = *mode;
    if (obj.has("participants")) {
        const nlohmann::json& list = j.at("participants");
        if (!list.is_array()) throw InputError(file, path + "/participants", "an array of agency names");
        std::vector<std::string> names;
        for (size_t i = 0; i < list.size(); ++i) {
            if (!list[i].is_string() || list[i].get<std::string>().empty())
                throw InputError(file, path + "/participants/" + std::to_string(i), "an agency name (non-empty string)");
            names.push_back(list[i].get<std::string>());
        }
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        policy.participants = std::move(names);
    }
    obj.finish();
    return policy;
}

nlohmann::json SharingPolicy::toJson() const {
    nlohmann::json j{{"mode", std::string(toString(mode))}};
    if (participants) j["participants"] = *participants;
    return j;
}

}  // namespace alprsim
