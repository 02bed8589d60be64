#include "store/hot_list.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.h"
#include "store/json_input.h"
#include "store/retention.h"

namespace alprsim {

HotListSpec HotListSpec::fromJson(const nlohmann::json& j, const std::string& file, const std::string& path) {
    store_json::requireObjectWithKeys(j, {"share", "reasons", "listed_at"}, file, path);
    HotListSpec spec;
    if (!j.contains("share") || !j.at("share").is_number() || j.at("share").get<double>() < 0.0 ||
        j.at("share").get<double>() > 1.0)
        throw InputError(file, path + "/share", "a number in [0, 1] (the fraction of vehicles flagged)");
    spec.share = j.at("share").get<double>();
    if (j.contains("reasons")) {
        const nlohmann::json& reasons = j.at("reasons");
        if (!reasons.is_object() || reasons.empty())
            throw InputError(file, path + "/reasons", "an object of reason names and positive weights");
        spec.reasons.clear();
        for (const auto& [name, weight] : reasons.items()) {  // nlohmann::json objects iterate in key order
            if (!weight.is_number() || weight.get<double>() <= 0.0)
                throw InputError(file, path + "/reasons/" + name, "a positive weight");
            spec.reasons.emplace_back(name, weight.get<double>());
        }
    }
    if (j.contains("listed_at")) {
        const std::optional<double> t = parseDuration(store_json::requireString(j, "listed_at", file, path));
        if (!t || std::isinf(*t)) throw InputError(file, path + "/listed_at", "a simulated time such as \"0s\" or \"2d\"");
        spec.listedAt = *t;
    }
    return spec;
}

HotList::HotList(std::vector<FlaggedVehicle> entries, double listedAt) : entries_(std::move(entries)), listedAt_(listedAt) {
    std::sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.plate < b.plate; });
    for (size_t i = 0; i < entries_.size(); ++i)
        if (!byPlate_.emplace(entries_[i].plate, i).second)
            throw std::invalid_argument("hot list: plate " + entries_[i].plate + " listed twice");
}

namespace {
const std::string& drawReason(const std::vector<std::pair<std::string, double>>& reasons, Rng& rng) {
    double total = 0.0;
    for (const auto& r : reasons) total += r.second;
    double pick = rng.uniform() * total;
    for (const auto& r : reasons) {
        if (pick < r.second) return r.first;
        pick -= r.second;
    }
    return reasons.back().first;  // rounding at the top end
}
}  // namespace

HotList HotList::draw(const HotListSpec& spec, std::vector<Registration> fleet, Rng rng) {
    if (spec.reasons.empty()) throw std::invalid_argument("hot list: no reasons to draw from");
    std::sort(fleet.begin(), fleet.end(), [](const auto& a, const auto& b) { return a.vehicle < b.vehicle; });
    const size_t count = static_cast<size_t>(std::llround(spec.share * static_cast<double>(fleet.size())));
    // Partial Fisher-Yates: the first `count` slots become a uniform sample without replacement.
    std::vector<FlaggedVehicle> flagged;
    for (size_t i = 0; i < count; ++i) {
        const size_t j = i + static_cast<size_t>(rng.below(fleet.size() - i));
        std::swap(fleet[i], fleet[j]);
        flagged.push_back({fleet[i].plate, fleet[i].vehicle, drawReason(spec.reasons, rng)});
    }
    return HotList(std::move(flagged), spec.listedAt);
}

const FlaggedVehicle* HotList::match(const std::string& readPlate, double readTime) const {
    if (readTime < listedAt_) return nullptr;
    const auto it = byPlate_.find(readPlate);
    return it == byPlate_.end() ? nullptr : &entries_[it->second];
}

}  // namespace alprsim
