#pragma once
// ReadStore: one SQLite file holding ALPR reads as an agency's back office holds them
// (plate string as read, time, camera, place, whether it matched the hot list), with the
// simulation's ground truth for each read and each alert in separate tables that only
// evaluation code touches. Back-office searches go through BackOffice (store/back_office.h),
// which checks access, applies retention and audits; the read-out functions here are the
// evaluation's view and check neither.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <unordered_map>
#include <set>
#include <string>
#include <vector>

#include "core/geo.h"
#include "store/hot_list.h"
#include "store/retention.h"
#include "store/sqlite.h"

namespace alprsim {

struct Read {
    std::string plate;   // the text the reader produced (may be a misread)
    double time = 0.0;   // simulated seconds since the scenario's start
    std::string camera;  // camera id
    LatLon where;
    double confidence = 1.0;  // the recogniser's confidence in [0, 1]
};

// What really passed the camera: evaluation only, never visible to back-office queries.
struct ReadTruth {
    std::string vehicle;
    std::string truePlate;
};

struct CameraRecord {
    std::string id;
    std::string agency;
    std::string edge;
    double position = 0.0;  // metres from the edge's start
    LatLon where;
};

// A hot-list match raised when a read was made.
struct Alert {
    double time = 0.0;
    std::string camera;
    std::string readPlate;
    std::string flaggedPlate;
    std::string reason;
};

// Whether the alert was about the flagged vehicle: evaluation only.
struct AlertTruth {
    std::string flaggedVehicle;  // "" when the entry is for a vehicle outside the simulation
    std::string seenVehicle;
    bool correct = false;
    std::string cause;  // why a false alert was false: "misread", "same_characters", "stale" ("" when correct)
};

// One back-office search, as the store's audit table records it.
struct AuditEntry {
    std::string agency;    // who searched
    std::string kind;      // what kind of search ("history", "plate_search", ...)
    std::string params;    // the search's parameters as JSON
    double simTime = 0.0;  // when, in simulated time (no wall clock, so runs are reproducible)
    int64_t rows = 0;      // how many rows this store returned
};

class ReadStore {
public:
    // Creates a new store file (fails if it exists), in WAL mode with the schema. It keeps reads
    // forever and has no owner until told otherwise.
    static ReadStore create(const std::filesystem::path& path);
    // Opens an existing store; throws InputError naming the file if it is not one.
    static ReadStore open(const std::filesystem::path& path);

    void addCameras(const std::vector<CameraRecord>& cameras);
    // reads[i] has truth[i]; inserted in one transaction; none is a hit.
    void insert(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth);
    // As above, with hits[i] true when reads[i] matched the hot list (kept for the hit retention).
    void insert(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth, const std::vector<bool>& hits);
    // alerts[i] has truth[i]; inserted in one transaction.
    void addAlerts(const std::vector<Alert>& alerts, const std::vector<AlertTruth>& truth);

    int64_t readCount() const;
    // Reads ever inserted, including those purged since.
    int64_t readsRecorded() const;
    std::vector<CameraRecord> cameras() const;
    // A plate's reads with t0 <= time <= t1, in time order.
    std::vector<Read> plateHistory(const std::string& plate, double t0, double t1) const;
    // Every read with its truth, in time order (evaluation).
    void forEachReadWithTruth(const std::function<void(const Read&, const ReadTruth&)>& visit) const;
    // Every alert with its truth, in time order (evaluation).
    void forEachAlertWithTruth(const std::function<void(const Alert&, const AlertTruth&)>& visit) const;
    std::vector<AuditEntry> auditLog() const;

    // The agency the store belongs to ("" for none); stored in the file.
    std::string owner() const;
    void setOwner(const std::string& agency);
    const RetentionPolicy& retention() const { return retention_; }
    void setRetention(const RetentionPolicy& policy);

    // Deletes the reads (and their truth) that retention no longer allows at simulated time
    // `now`; returns how many reads were deleted. Alerts and the audit log are kept.
    int64_t purge(double now);

    // The hot list this store issues (the state store keeps the network's list).
    void saveHotList(const HotList& list);
    HotList loadHotList() const;

    // SQLite's own consistency check: "ok" when the file is sound.
    std::string integrityCheck() const;
    // Folds the WAL back into the main file so the store is a single self-contained file.
    void checkpoint();
    const std::filesystem::path& path() const { return db_.path(); }

private:
    friend class BackOffice;  // the access-checked, audited search API
    explicit ReadStore(sql::Database db);

    // Reads are kept in partitions: one pair of tables (reads, truth) per simulated day, so that
    // a day's plate index stays small enough to insert into quickly and purging a day is a DROP;
    // plus one partition for hits kept past their day's deletion (older than every day left).
public:
    struct Partition {
        std::string reads;
        std::string truth;
        std::string plateIndex;
    };

private:
    static constexpr double kPartitionSeconds = 86400.0;
    static Partition dayPartition(int64_t day);
    static Partition keptHitsPartition();
    static int64_t dayOf(double time);
    // The partitions that may hold reads with t0 <= time <= t1: kept hits first, then days in order.
    std::vector<Partition> partitionsOverlapping(double t0, double t1) const;
    void createPartition(const Partition& p);

    // Within a partition reads are keyed by time: id = millisecond * kSlotsPerMs + a slot in
    // that millisecond, so the table is in time order (inserts append, time ranges scan a key
    // range) and the plate index, whose entries end in the id, is in (plate, time) order.
    static constexpr int64_t kSlotsPerMs = int64_t{1} << 20;
    static int64_t firstKeyAt(double time);  // the smallest id a read at `time` can have
    static int64_t lastKeyAt(double time);   // the largest
    int64_t nextKey(double time, sql::Statement& lastInMs);
    int64_t purgeWholeDays(double readsBefore, double hitsBefore);
    // A prepared statement for `sql`, reset and unbound, kept for reuse: a search visits one
    // partition per day, and preparing each time would cost more than the search itself.
    // Callers step it to the end or reset it; purgeWholeDays empties the cache before a DROP.
    sql::Statement& cachedStatement(const std::string& sql) const;
    std::string meta(const std::string& key) const;
    void setMeta(const std::string& key, const std::string& value);
    void recordAudit(const AuditEntry& entry);

    sql::Database db_;
    RetentionPolicy retention_;
    int64_t lastKey_ = INT64_MIN;  // the largest id in any partition
    std::set<int64_t> days_;       // the day partitions that exist
    // Declared after db_, so destroyed (finalized) before the connection closes.
    mutable std::unordered_map<std::string, std::unique_ptr<sql::Statement>> statements_;
};

}  // namespace alprsim
