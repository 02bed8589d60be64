#pragma once
// The hot list: plates of vehicles an agency is told to look for (stolen, wanted, ...).
// Reads are checked against it when they are made; a match raises an alert, which is true
// when the vehicle really is the flagged one and the flag still stands, and false otherwise.
// False alerts have three causes, each modelled as it happens in the field (San Leandro city
// council report: 5-35% of ALPR hits in error, most sources 10-20%, from the readers' limits and
// from wrong or outdated hot-list entries, the lists being meant to be updated daily):
//   misread          the reader spelled another car's plate as a listed one;
//   same_characters  a plate with the listed characters on another car (the same characters
//                    issued by another state, matched by a reader that did not read the state;
//                    or a cloned plate);
//   stale            the listed car was recovered or its flag cleared after the list was last
//                    refreshed: the list as held still names it until the next refresh.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <limits>
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
    // The causes of false alerts. Defaults are the values docs/hot-lists-and-field-record.md
    // states with their sources or reasoning; 0 / 1 / "0s" turn a cause off.
    // How many other states' plates carry the same characters as one of the fleet's, on average.
    // Each is listed as often as any plate (`share`), so a fleet plate's characters are listed
    // for another state with probability 1 - exp(-sameCharactersElsewhere * share). Assumption
    // (no census of issued plates by state was at hand): 3 of Massachusetts' 7 formats
    // (######, ####@@, ###@@@) are also issued by neighbouring states.
    double sameCharactersElsewhere = 0.3;
    // Share of reads whose issuing state the reader reads, so that a listed plate of another
    // state is not matched; the rest match on characters alone. Assumption between the two
    // accounts at hand: an officer whose cruiser's system read characters only, never the state,
    // and WatchGuard's ALPR FAQ (the state is recognised when the camera gives it enough pixels,
    // which it does not for every read).
    double statesReadShare = 0.5;
    // Share of listed entries cleared (car recovered, warrant served) per day: assumption, an
    // entry stays listed 10 days on average.
    double clearedPerDay = 0.1;
    // How often the list as held is refreshed (seconds; 0: at once, so no entry is ever stale):
    // hot lists are meant to be updated daily (San Leandro city council report).
    double refreshSeconds = 86400.0;

    // JSON shape: {"share": 0.002, "reasons": {"stolen": 1, "wanted": 3}, "listed_at": "0s",
    //              "same_characters_elsewhere": 0.3, "states_read_share": 0.5,
    //              "cleared_per_day": 0.1, "refresh": "24h"}; all but "share" optional.
    static HotListSpec fromJson(const nlohmann::json& j, const std::string& file, const std::string& path);
};

// A vehicle, the plate it carries and the state that issued it (the fleet the list is drawn from).
struct Registration {
    std::string vehicle;
    std::string plate;
    std::string state = "MA";
};

struct FlaggedVehicle {
    std::string plate;
    std::string vehicle;  // ground truth: which vehicle the flag is meant for ("" : one outside the simulation)
    std::string reason;
    std::string state = "";                                      // issuing state as listed ("": not stated)
    double clearedAt = std::numeric_limits<double>::infinity();  // ground truth: when the flag stopped standing
};

// How a hot list as held is kept and how readers check it against a read.
struct HotListUpkeep {
    double refreshSeconds = 0.0;  // 0: cleared entries leave the list at once
    double statesReadShare = 1.0;
    uint64_t stateSeed = 0;  // draws which reads have their state read
};

class HotList {
public:
    using Upkeep = HotListUpkeep;

    HotList() = default;
    HotList(std::vector<FlaggedVehicle> entries, double listedAt, Upkeep upkeep = {});

    // Flags round(share * fleet size) vehicles, chosen by `rng`, then lists other states' plates
    // that share a fleet plate's characters, and draws when each entry is cleared. The fleet is
    // sorted by vehicle id first, so the list depends only on the fleet's contents and the seed.
    static HotList draw(const HotListSpec& spec, std::vector<Registration> fleet, Rng rng);

    // The entry the list as held at readTime has for a plate as read, or nullptr. Reads before
    // listedAt() never match; a cleared entry matches until the first refresh after it cleared.
    // seenState: the state of the plate as read, "" when the reader did not read it; a read
    // state that differs from the listed one does not match.
    const FlaggedVehicle* match(const std::string& readPlate, double readTime, const std::string& seenState = "") const;

    // Whether the reader read the issuing state of this read (drawn per read from its camera,
    // time and plate, so that reruns and day processes agree).
    bool readsState(const std::string& camera, double time, const std::string& plate) const;
    // When a cleared entry leaves the list as held: the first refresh at or after clearedAt.
    double removedAt(const FlaggedVehicle& entry) const;
    // The issuing state of a fleet vehicle as registered, "" when not known (a list opened from
    // a store keeps no registry: readers then never read the state).
    const std::string& registeredState(const std::string& vehicle) const;
    void setRegistry(std::unordered_map<std::string, std::string> stateByVehicle) { registry_ = std::move(stateByVehicle); }

    const std::vector<FlaggedVehicle>& entries() const { return entries_; }
    double listedAt() const { return listedAt_; }
    const Upkeep& upkeep() const { return upkeep_; }

private:
    std::vector<FlaggedVehicle> entries_;  // sorted by plate
    std::unordered_map<std::string, size_t> byPlate_;
    double listedAt_ = 0.0;
    Upkeep upkeep_;
    std::unordered_map<std::string, std::string> registry_;  // vehicle -> issuing state
};

}  // namespace alprsim
