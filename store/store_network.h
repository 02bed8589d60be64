#pragma once
// StoreNetwork: the read stores of one scenario run, in one folder:
//   agency-<name>.sqlite  one per agency (its own cameras' reads, its alerts, its audit log)
//   state.sqlite          the pooled state store (CJIS), which also issues the hot list
//   network.json          the sharing policy and which file belongs to which agency
// It routes each read to its camera's agency and, per the sharing policy, to the state store,
// checks it against the hot list when it is made, and purges on simulated time. The folder
// outlives the run: StoreNetwork::open gives analysis the same view without re-simulating.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/hot_list.h"
#include "store/read_store.h"
#include "store/retention.h"
#include "store/sharing.h"

namespace alprsim {

// The scenario's "stores" settings. JSON shape (every key optional):
//   {"sharing": {"mode": "pooled", "participants": ["Boston", "Lowell"]},
//    "retention": {"reads": "30d", "hits": "1y"},
//    "retention_by_agency": {"Lowell": {"reads": "180d"}},
//    "state_retention": {"reads": "1y"},
//    "hot_list": {"share": 0.002, "reasons": {"stolen": 1, "wanted": 1}, "listed_at": "0s"}}
// Defaults: local sharing, reads kept forever, the state store keeping what agencies keep,
// an empty hot list.
struct StoreSettings {
    SharingPolicy sharing;
    RetentionPolicy retention;  // every agency store unless named in retentionByAgency
    std::map<std::string, RetentionPolicy> retentionByAgency;
    RetentionPolicy stateRetention;
    HotListSpec hotList;

    static StoreSettings fromJson(const nlohmann::json& j, const std::string& file, const std::string& path);
};

// How the hot list did over a run, from the alerts and their ground truth.
struct HotListReport {
    // ACLU, "You Are Being Tracked" (2013): of 29M Maryland reads in 2012, 0.2% were hits.
    static constexpr double kMarylandHitShare = 0.002;

    struct Detection {
        FlaggedVehicle flagged;
        std::optional<double> firstTrueAlert;  // seconds after the list took effect; none if never found
    };

    int64_t readsRecorded = 0;  // by every agency over the run, purged or not
    int64_t alerts = 0;
    int64_t trueAlerts = 0;
    int64_t falseAlerts = 0;
    // False alerts by cause (store/hot_list.h): every cause is present, counted or 0.
    static constexpr const char* kMisread = "misread";
    static constexpr const char* kSameCharacters = "same_characters";
    static constexpr const char* kStale = "stale";
    std::map<std::string, int64_t> falseAlertsByCause{{kMisread, 0}, {kSameCharacters, 0}, {kStale, 0}};
    std::vector<Detection> detections;  // one per flagged fleet vehicle, in plate order
    int64_t entriesOutside = 0;         // entries for cars outside the simulation (other states' plates)

    double hitShare() const;         // alerts per read recorded
    double falseAlertShare() const;  // false alerts per alert
};

class StoreNetwork {
public:
    static constexpr const char* kStateOwner = "state";

    // Creates the folder's stores (the folder may exist but must hold no stores). Agencies are
    // those owning cameras plus any named as sharing participants.
    static StoreNetwork create(const std::filesystem::path& dir, const StoreSettings& settings,
                               const std::vector<CameraRecord>& cameras, const HotList& hotList);
    // Opens the stores a previous run left; throws InputError if the folder is not one.
    static StoreNetwork open(const std::filesystem::path& dir);

    // reads[i] has truth[i]. Returns how many hot-list alerts the reads raised.
    int64_t record(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth);
    // Deletes, in every store, what its retention no longer allows at simulated time `now`;
    // returns the reads deleted. Back-office searches honour retention whether or not purge
    // has run, so how often to call it only decides how large the files grow.
    int64_t purge(double now);
    void checkpoint();

    const SharingPolicy& sharing() const { return sharing_; }
    const HotList& hotList() const { return hotList_; }
    std::vector<std::string> agencies() const;  // sorted
    ReadStore& agencyStore(const std::string& agency);
    ReadStore& stateStore() { return stateStore_; }
    HotListReport hotListReport() const;

private:
    StoreNetwork(SharingPolicy sharing, HotList hotList, std::map<std::string, ReadStore> agencyStores, ReadStore stateStore);

    SharingPolicy sharing_;
    HotList hotList_;
    std::map<std::string, ReadStore> agencyStores_;
    ReadStore stateStore_;
    std::unordered_map<std::string, std::string> cameraAgency_;
};

}  // namespace alprsim
