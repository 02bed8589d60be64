#include "store/hot_list.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.h"
#include "core/json_reader.h"
#include "core/files.h"
#include "core/hash.h"
#include "store/retention.h"

namespace alprsim {

HotListSpec HotListSpec::fromJson(const nlohmann::json& j, const std::string& file, const std::string& path) {
    JsonObjectReader obj(j, file, path);
    HotListSpec spec;
    if (!obj.has("share") || !j.at("share").is_number() || j.at("share").get<double>() < 0.0 || j.at("share").get<double>() > 1.0)
        throw InputError(file, path + "/share", "a number in [0, 1] (the fraction of vehicles flagged)");
    spec.share = j.at("share").get<double>();
    if (obj.has("reasons")) {
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
    if (obj.has("listed_at")) {
        const std::optional<double> t = parseDuration(obj.requiredString("listed_at"));
        if (!t || std::isinf(*t)) throw InputError(file, path + "/listed_at", "a simulated time such as \"0s\" or \"2d\"");
        spec.listedAt = *t;
    }
    const auto number = [&](const char* key, double lo, double hi, const char* what) {
        const nlohmann::json& v = j.at(key);
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi)
            throw InputError(file, path + "/" + key, what);
        return v.get<double>();
    };
    if (obj.has("same_characters_elsewhere"))
        spec.sameCharactersElsewhere =
            number("same_characters_elsewhere", 0.0, 50.0,
                   "a number in [0, 50] (other states' plates with a fleet plate's characters, on average)");
    if (obj.has("states_read_share"))
        spec.statesReadShare =
            number("states_read_share", 0.0, 1.0, "a number in [0, 1] (the share of reads whose state is read)");
    if (obj.has("cleared_per_day"))
        spec.clearedPerDay = number("cleared_per_day", 0.0, 1000.0, "a number in [0, 1000] (the share of entries cleared a day)");
    if (obj.has("refresh")) {
        const std::optional<double> t = parseDuration(obj.requiredString("refresh"));
        if (!t) throw InputError(file, path + "/refresh", "a duration such as \"24h\", \"0s\" (at once) or \"forever\"");
        spec.refreshSeconds = *t;
    }
    obj.finish();
    return spec;
}

HotList::HotList(std::vector<FlaggedVehicle> entries, double listedAt, Upkeep upkeep)
    : entries_(std::move(entries)), listedAt_(listedAt), upkeep_(upkeep) {
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

// The state whose plate shares a fleet plate's characters: a Massachusetts plate's twin comes
// from a state whose cars are often seen here (the population's out-of-state origins), another
// state's twin from Massachusetts.
std::string twinState(const std::string& state, Rng& rng) {
    static const std::vector<std::string> others = {"NH", "RI", "NY", "CT", "ME", "VT", "NJ", "FL"};
    if (state != "MA") return "MA";
    return others[rng.below(others.size())];
}
}  // namespace

HotList HotList::draw(const HotListSpec& spec, std::vector<Registration> fleet, Rng rng) {
    if (spec.reasons.empty()) throw std::invalid_argument("hot list: no reasons to draw from");
    std::sort(fleet.begin(), fleet.end(), [](const auto& a, const auto& b) { return a.vehicle < b.vehicle; });
    std::unordered_map<std::string, std::string> registry;
    for (const Registration& r : fleet) registry.emplace(r.vehicle, r.state);
    const size_t count = static_cast<size_t>(std::llround(spec.share * static_cast<double>(fleet.size())));
    // Partial Fisher-Yates: the first `count` slots become a uniform sample without replacement.
    std::vector<FlaggedVehicle> flagged;
    std::unordered_map<std::string, bool> listedPlates;
    for (size_t i = 0; i < count; ++i) {
        const size_t j = i + static_cast<size_t>(rng.below(fleet.size() - i));
        std::swap(fleet[i], fleet[j]);
        flagged.push_back({fleet[i].plate, fleet[i].vehicle, drawReason(spec.reasons, rng), fleet[i].state});
        listedPlates.emplace(fleet[i].plate, true);
    }
    // Other states' plates with a fleet plate's characters, listed as often as any plate. Drawn
    // after the flagged vehicles (and only when asked for), so lists without them stay as they were.
    if (spec.sameCharactersElsewhere > 0.0) {
        const double listedTwin = 1.0 - std::exp(-spec.sameCharactersElsewhere * spec.share);
        std::sort(fleet.begin(), fleet.end(), [](const auto& a, const auto& b) { return a.vehicle < b.vehicle; });
        for (const Registration& r : fleet) {
            if (rng.uniform() >= listedTwin) continue;
            const std::string& reason = drawReason(spec.reasons, rng);
            const std::string state = twinState(r.state, rng);
            if (listedPlates.emplace(r.plate, true).second) flagged.push_back({r.plate, "", reason, state});
        }
    }
    // Listing times are memoryless: an entry on the list clears after an exponential time.
    if (spec.clearedPerDay > 0.0)
        for (FlaggedVehicle& f : flagged) {
            double u = rng.uniform();
            f.clearedAt = spec.listedAt - std::log1p(-u) / spec.clearedPerDay * 86400.0;
        }
    const Upkeep upkeep{spec.refreshSeconds, spec.statesReadShare, rng.next()};
    HotList list(std::move(flagged), spec.listedAt, upkeep);
    list.setRegistry(std::move(registry));
    return list;
}

double HotList::removedAt(const FlaggedVehicle& entry) const {
    if (std::isinf(entry.clearedAt) || upkeep_.refreshSeconds <= 0.0) return entry.clearedAt;
    if (std::isinf(upkeep_.refreshSeconds)) return std::numeric_limits<double>::infinity();
    // Refreshes at listedAt + k * refresh; the list taken at a refresh no longer has the entry.
    const double k = std::ceil((entry.clearedAt - listedAt_) / upkeep_.refreshSeconds);
    return listedAt_ + std::max(k, 0.0) * upkeep_.refreshSeconds;
}

bool HotList::readsState(const std::string& camera, double time, const std::string& plate) const {
    if (upkeep_.statesReadShare >= 1.0) return true;
    if (upkeep_.statesReadShare <= 0.0) return false;
    const uint64_t h = fnv1a64(camera + "@" + std::to_string(static_cast<int64_t>(time * 1000)) + "@" + plate, upkeep_.stateSeed);
    return static_cast<double>(h >> 11) * 0x1.0p-53 < upkeep_.statesReadShare;
}

const std::string& HotList::registeredState(const std::string& vehicle) const {
    static const std::string unknown;
    const auto it = registry_.find(vehicle);
    return it == registry_.end() ? unknown : it->second;
}

const FlaggedVehicle* HotList::match(const std::string& readPlate, double readTime, const std::string& seenState) const {
    if (readTime < listedAt_) return nullptr;
    const auto it = byPlate_.find(readPlate);
    if (it == byPlate_.end()) return nullptr;
    const FlaggedVehicle& entry = entries_[it->second];
    if (readTime >= removedAt(entry)) return nullptr;  // gone from the list as held
    if (!seenState.empty() && !entry.state.empty() && seenState != entry.state) return nullptr;
    return &entry;
}

}  // namespace alprsim
