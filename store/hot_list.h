#pragma once
// The hot list: plates of vehicles an agency is told to look for (stolen, wanted, ...).
// Reads are checked against it when they are made; a match raises an alert, which is true
// when the vehicle really is the flagged one and false otherwise (an OCR misread that
// happens to spell a flagged plate, or a flagged plate on another vehicle).
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/rng.h"

namespace alprsim {

struct HotListSpec {
    double share = 0.0;  // fraction of the fleet's vehicles flagged, in [0, 1]
    // Reasons with relative weights; a flagged vehicle's reason is drawn by weight.
    std::vector<std::pair<std::string, double>> reasons{{"stolen", 1.0}, {"wanted", 1.0}};
    double listedAt = 0.0;  // simulated time from which reads are checked against the list

    // JSON shape: {"share": 0.002, "reasons": {"stolen": 1, "wanted": 3}, "listed_at": "0s"};
    // "reasons" and "listed_at" are optional.
    static HotListSpec fromJson(const nlohmann::json& j, const std::string& file, const std::string& path);
};

// A vehicle and the plate it carries (the fleet the hot list is drawn from).
struct Registration {
    std::string vehicle;
    std::string plate;
};

struct FlaggedVehicle {
    std::string plate;
    std::string vehicle;  // ground truth: which vehicle the flag is meant for
    std::string reason;
};

class HotList {
public:
    HotList() = default;
    HotList(std::vector<FlaggedVehicle> entries, double listedAt);

    // Flags round(share * fleet size) vehicles, chosen by `rng`. The fleet is sorted by vehicle
    // id first, so the list depends only on the fleet's contents and the seed.
    static HotList draw(const HotListSpec& spec, std::vector<Registration> fleet, Rng rng);

    // The entry for a plate as read, or nullptr; reads before listedAt() never match.
    const FlaggedVehicle* match(const std::string& readPlate, double readTime) const;

    const std::vector<FlaggedVehicle>& entries() const { return entries_; }
    double listedAt() const { return listedAt_; }

private:
    std::vector<FlaggedVehicle> entries_;  // sorted by plate
    std::unordered_map<std::string, size_t> byPlate_;
    double listedAt_ = 0.0;
};

}  // namespace alprsim
