#include "store/read_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <limits>
#include <map>
#include <memory>
#include <cmath>
#include <stdexcept>

#include "core/error.h"

namespace alprsim {

namespace {
constexpr const char* kFormat = "alprsim-read-store";
constexpr const char* kVersion = "4";  // 4: hot-list states, clearing and refresh; alert causes

// Reads and their truth live in partitions (ReadStore::Partition), created as reads arrive;
// the kept-hits partition exists from the start.
constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cameras(
  id TEXT PRIMARY KEY, agency TEXT NOT NULL, edge TEXT NOT NULL, position REAL NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE alerts(
  id INTEGER PRIMARY KEY, time REAL NOT NULL, camera TEXT NOT NULL, read_plate TEXT NOT NULL,
  flagged_plate TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE alert_truth(
  alert_id INTEGER PRIMARY KEY REFERENCES alerts(id), flagged_vehicle TEXT NOT NULL,
  seen_vehicle TEXT NOT NULL, correct INTEGER NOT NULL, cause TEXT NOT NULL);
CREATE TABLE hot_list(plate TEXT PRIMARY KEY, reason TEXT NOT NULL, state TEXT NOT NULL);
CREATE TABLE hot_list_truth(plate TEXT PRIMARY KEY REFERENCES hot_list(plate), vehicle TEXT NOT NULL, cleared_at REAL);
CREATE TABLE audit(
  id INTEGER PRIMARY KEY, agency TEXT NOT NULL, kind TEXT NOT NULL, params TEXT NOT NULL,
  sim_time REAL NOT NULL, rows INTEGER NOT NULL);
)sql";

// Per-connection settings. synchronous=NORMAL in WAL mode loses at most the last commits on
// power loss, never consistency; the larger page cache keeps index pages of a 10M-read store hot.
void configureConnection(sql::Database& db) {
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA cache_size=-262144");  // up to 256 MiB, allocated only as pages are read
    db.exec("PRAGMA temp_store=MEMORY");
}

Read readFromRow(const sql::Statement& s, int first) {
    return Read{s.text(first), s.real(first + 1), s.text(first + 2), LatLon{s.real(first + 3), s.real(first + 4)},
                s.real(first + 5)};
}
}  // namespace

ReadStore::ReadStore(sql::Database db) : db_(std::move(db)) {}

ReadStore ReadStore::create(const std::filesystem::path& path) {
    if (std::filesystem::exists(path)) throw InputError(path.string(), "", "a read store path that does not exist yet");
    sql::Database db(path, sql::Database::Mode::CreateNew);
    db.exec("PRAGMA journal_mode=WAL");
    configureConnection(db);
    ReadStore store(std::move(db));
    sql::Transaction tx(store.db_);
    store.db_.exec(kSchema);
    store.createPartition(keptHitsPartition());
    sql::Statement s(store.db_, "INSERT INTO meta(key, value) VALUES (?, ?)");
    const std::pair<std::string, std::string> initial[] = {{"format", kFormat},
                                                           {"version", kVersion},
                                                           {"owner", ""},
                                                           {"retention", store.retention_.toJson().dump()},
                                                           {"reads_recorded", "0"}};
    for (const auto& [key, value] : initial) s.run(key, value);
    tx.commit();
    return store;
}

ReadStore ReadStore::open(const std::filesystem::path& path) {
    if (!std::filesystem::is_regular_file(path)) throw InputError(path.string(), "", "an existing read store file");
    sql::Database db(path, sql::Database::Mode::OpenExisting);
    ReadStore store(std::move(db));
    try {
        configureConnection(store.db_);  // the first statement: fails on a file that is not SQLite
        if (store.meta("format") != kFormat) throw std::runtime_error("wrong format");
    } catch (const std::exception&) {
        throw InputError(path.string(), "", "an alprsim read store (SQLite with a meta table)");
    }
    if (store.meta("version") != kVersion)
        throw InputError(path.string(), "meta/version", std::string("read store format version ") + kVersion);
    store.retention_ = RetentionPolicy::fromJson(nlohmann::json::parse(store.meta("retention")), path.string(), "meta/retention");
    sql::Statement tables(store.db_, "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'reads_d*'");
    while (tables.step()) {
        const std::string suffix = tables.text(0).substr(std::string("reads_d").size());
        store.days_.insert(suffix[0] == 'm' ? -std::stoll(suffix.substr(1)) : std::stoll(suffix));
    }
    for (const Partition& p : store.partitionsOverlapping(-RetentionPolicy::kForever, RetentionPolicy::kForever)) {
        sql::Statement last(store.db_, "SELECT max(id) FROM " + p.reads);
        if (last.step() && !last.isNull(0)) store.lastKey_ = std::max(store.lastKey_, last.integer(0));
    }
    return store;
}

std::string ReadStore::meta(const std::string& key) const {
    sql::Statement s(db_, "SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    if (!s.step()) throw std::runtime_error("read store " + db_.path().string() + ": no meta key " + key);
    return s.text(0);
}

void ReadStore::setMeta(const std::string& key, const std::string& value) {
    sql::Statement(db_, "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .run(key, value);
}

void ReadStore::addCameras(const std::vector<CameraRecord>& cameras) {
    sql::Transaction tx(db_);
    sql::Statement s(db_, "INSERT INTO cameras(id, agency, edge, position, lat, lon) VALUES (?,?,?,?,?,?)");
    for (const CameraRecord& c : cameras) s.run(c.id, c.agency, c.edge, c.position, c.where.lat, c.where.lon);
    tx.commit();
}

void ReadStore::insert(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth) {
    insert(reads, truth, std::vector<bool>(reads.size(), false));
}

namespace {
constexpr double kKeyRangeMs = 8.0e12;  // |time| below about 250 years in milliseconds
}  // namespace

// Table names are made here from day numbers, never from data, so building SQL with them is safe.
ReadStore::Partition ReadStore::dayPartition(int64_t day) {
    const std::string suffix = day < 0 ? "m" + std::to_string(-day) : std::to_string(day);
    return {"reads_d" + suffix, "truth_d" + suffix, "reads_d" + suffix + "_by_plate"};
}

ReadStore::Partition ReadStore::keptHitsPartition() { return {"reads_hits", "truth_hits", "reads_hits_by_plate"}; }

int64_t ReadStore::dayOf(double time) {
    const double day = std::floor(time / kPartitionSeconds);
    return static_cast<int64_t>(std::clamp(day, -1e15, 1e15));  // also maps infinities to a day
}

void ReadStore::createPartition(const Partition& p) {
    db_.exec("CREATE TABLE " + p.reads +
             "(id INTEGER PRIMARY KEY, plate TEXT NOT NULL, time REAL NOT NULL, camera TEXT NOT NULL, "
             "lat REAL NOT NULL, lon REAL NOT NULL, confidence REAL NOT NULL, hit INTEGER NOT NULL);"
             "CREATE INDEX " +
             p.plateIndex + " ON " + p.reads +
             "(plate);"
             "CREATE TABLE " +
             p.truth + "(read_id INTEGER PRIMARY KEY, vehicle TEXT NOT NULL, true_plate TEXT NOT NULL);");
}

sql::Statement& ReadStore::cachedStatement(const std::string& sql) const {
    constexpr size_t kMaxCached = 512;  // about 17 query shapes over a month of partitions
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        if (statements_.size() >= kMaxCached) statements_.clear();
        it = statements_.emplace(sql, std::make_unique<sql::Statement>(db_, sql)).first;
    }
    it->second->reset();
    return *it->second;
}

std::vector<ReadStore::Partition> ReadStore::partitionsOverlapping(double t0, double t1) const {
    std::vector<Partition> out{keptHitsPartition()};
    if (t1 < t0) return out;
    for (auto it = days_.lower_bound(dayOf(t0)); it != days_.end() && *it <= dayOf(t1); ++it) out.push_back(dayPartition(*it));
    return out;
}

int64_t ReadStore::firstKeyAt(double time) {
    const double ms = std::floor(time * 1000.0);
    if (!(ms > -kKeyRangeMs)) return INT64_MIN;  // also catches NaN
    if (ms >= kKeyRangeMs) return INT64_MAX;
    return static_cast<int64_t>(ms) * kSlotsPerMs;
}

int64_t ReadStore::lastKeyAt(double time) {
    const int64_t first = firstKeyAt(time);
    return first == INT64_MIN || first == INT64_MAX ? first : first + (kSlotsPerMs - 1);
}

int64_t ReadStore::nextKey(double time, sql::Statement& lastInMs) {
    const int64_t first = firstKeyAt(time);
    const int64_t last = first + (kSlotsPerMs - 1);
    if (first > lastKey_) return lastKey_ = first;                // the usual case: reads arrive in time order
    if (lastKey_ >= first && lastKey_ < last) return ++lastKey_;  // another read in the newest millisecond
    // A read older than the newest: the next free slot in its own millisecond.
    lastInMs.bind(1, first).bind(2, last);
    const bool found = lastInMs.step() && !lastInMs.isNull(0);
    const int64_t taken = found ? lastInMs.integer(0) : first - 1;
    lastInMs.reset();
    if (taken >= last) throw std::runtime_error("read store: more than 2^20 reads in one millisecond");
    return taken + 1;
}

namespace {
// The statements that write one partition during one insert call.
struct PartitionWriter {
    PartitionWriter(const sql::Database& db, const ReadStore::Partition& p, const ReadStore::Partition& keptHits)
        : read(db, "INSERT INTO " + p.reads + "(id, plate, time, camera, lat, lon, confidence, hit) VALUES (?,?,?,?,?,?,?,?)"),
          truth(db, "INSERT INTO " + p.truth + "(read_id, vehicle, true_plate) VALUES (?,?,?)"),
          // Ids stay unique across the day and the kept hits, which may hold ids of its past.
          lastInMs(db, "SELECT max(id) FROM (SELECT id FROM " + p.reads + " WHERE id BETWEEN ?1 AND ?2 UNION ALL " +
                           "SELECT id FROM " + keptHits.reads + " WHERE id BETWEEN ?1 AND ?2)") {}
    sql::Statement read, truth, lastInMs;
};
}  // namespace

void ReadStore::insert(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth, const std::vector<bool>& hits) {
    if (reads.size() != truth.size() || reads.size() != hits.size())
        throw std::logic_error("ReadStore::insert: reads, truth and hits differ in length");
    const int64_t lastKeyBefore = lastKey_;
    const std::set<int64_t> daysBefore = days_;
    try {
        sql::Transaction tx(db_);
        std::map<int64_t, std::unique_ptr<PartitionWriter>> writers;
        for (size_t i = 0; i < reads.size(); ++i) {
            const Read& x = reads[i];
            if (firstKeyAt(x.time) == INT64_MIN || firstKeyAt(x.time) == INT64_MAX)
                throw std::invalid_argument("read time " + std::to_string(x.time) + " s is outside the store's range");
            const int64_t day = dayOf(x.time);
            std::unique_ptr<PartitionWriter>& writer = writers[day];
            if (!writer) {
                if (days_.insert(day).second) createPartition(dayPartition(day));
                writer = std::make_unique<PartitionWriter>(db_, dayPartition(day), keptHitsPartition());
            }
            const int64_t key = nextKey(x.time, writer->lastInMs);
            writer->read.run(key, x.plate, x.time, x.camera, x.where.lat, x.where.lon, x.confidence,
                             static_cast<int64_t>(hits[i]));
            writer->truth.run(key, truth[i].vehicle, truth[i].truePlate);
        }
        writers.clear();
        sql::Statement(db_, "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'reads_recorded'")
            .run(static_cast<int64_t>(reads.size()));
        tx.commit();
    } catch (...) {
        lastKey_ = lastKeyBefore;  // the rolled-back keys and partitions are gone again
        days_ = daysBefore;
        throw;
    }
}

void ReadStore::addAlerts(const std::vector<Alert>& alerts, const std::vector<AlertTruth>& truth) {
    if (alerts.size() != truth.size()) throw std::logic_error("ReadStore::addAlerts: alerts and truth differ in length");
    sql::Transaction tx(db_);
    sql::Statement a(db_, "INSERT INTO alerts(time, camera, read_plate, flagged_plate, reason) VALUES (?,?,?,?,?)");
    sql::Statement t(db_, "INSERT INTO alert_truth(alert_id, flagged_vehicle, seen_vehicle, correct, cause) VALUES (?,?,?,?,?)");
    for (size_t i = 0; i < alerts.size(); ++i) {
        const Alert& x = alerts[i];
        a.run(x.time, x.camera, x.readPlate, x.flaggedPlate, x.reason);
        t.run(static_cast<int64_t>(sqlite3_last_insert_rowid(db_.handle())), truth[i].flaggedVehicle, truth[i].seenVehicle,
              static_cast<int64_t>(truth[i].correct), truth[i].cause);
    }
    tx.commit();
}

int64_t ReadStore::readCount() const {
    int64_t count = 0;
    for (const Partition& p : partitionsOverlapping(-RetentionPolicy::kForever, RetentionPolicy::kForever)) {
        sql::Statement s(db_, "SELECT COUNT(*) FROM " + p.reads);
        s.step();
        count += s.integer(0);
    }
    return count;
}

int64_t ReadStore::readsRecorded() const { return std::stoll(meta("reads_recorded")); }

std::vector<CameraRecord> ReadStore::cameras() const {
    std::vector<CameraRecord> out;
    sql::Statement s(db_, "SELECT id, agency, edge, position, lat, lon FROM cameras ORDER BY id");
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.real(3), LatLon{s.real(4), s.real(5)}});
    return out;
}

std::vector<Read> ReadStore::plateHistory(const std::string& plate, double t0, double t1) const {
    std::vector<Read> out;
    for (const Partition& p : partitionsOverlapping(t0, t1)) {
        sql::Statement& s = cachedStatement("SELECT plate, time, camera, lat, lon, confidence FROM " + p.reads +
                                            " WHERE plate = ? AND id BETWEEN ? AND ? AND time BETWEEN ? AND ? ORDER BY time, id");
        s.bind(1, plate).bind(2, firstKeyAt(t0)).bind(3, lastKeyAt(t1)).bind(4, t0).bind(5, t1);
        while (s.step()) out.push_back(readFromRow(s, 0));
    }
    std::stable_sort(out.begin(), out.end(), [](const Read& a, const Read& b) { return a.time < b.time; });
    return out;
}

void ReadStore::forEachReadWithTruth(const std::function<void(const Read&, const ReadTruth&)>& visit) const {
    // Partitions come in time order (kept hits are older than every day left).
    for (const Partition& p : partitionsOverlapping(-RetentionPolicy::kForever, RetentionPolicy::kForever)) {
        // NOT INDEXED: left to itself SQLite walks the plate index and fetches each row from it
        // (a random lookup a read) before sorting by time anyway; a scan in key order, which is
        // nearly time order, takes a third less.
        sql::Statement s(db_, "SELECT r.plate, r.time, r.camera, r.lat, r.lon, r.confidence, t.vehicle, t.true_plate FROM " +
                                  p.reads + " r NOT INDEXED JOIN " + p.truth + " t ON t.read_id = r.id ORDER BY r.time, r.id");
        while (s.step()) visit(readFromRow(s, 0), ReadTruth{s.text(6), s.text(7)});
    }
}

void ReadStore::forEachAlertWithTruth(const std::function<void(const Alert&, const AlertTruth&)>& visit) const {
    sql::Statement s(db_,
                     "SELECT a.time, a.camera, a.read_plate, a.flagged_plate, a.reason, "
                     "t.flagged_vehicle, t.seen_vehicle, t.correct, t.cause "
                     "FROM alerts a JOIN alert_truth t ON t.alert_id = a.id ORDER BY a.time, a.id");
    while (s.step())
        visit(Alert{s.real(0), s.text(1), s.text(2), s.text(3), s.text(4)},
              AlertTruth{s.text(5), s.text(6), s.integer(7) != 0, s.text(8)});
}

std::vector<AuditEntry> ReadStore::auditLog() const {
    std::vector<AuditEntry> out;
    sql::Statement s(db_, "SELECT agency, kind, params, sim_time, rows FROM audit ORDER BY id");
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.real(3), s.integer(4)});
    return out;
}

void ReadStore::recordAudit(const AuditEntry& e) {
    sql::Statement(db_, "INSERT INTO audit(agency, kind, params, sim_time, rows) VALUES (?,?,?,?,?)")
        .run(e.agency, e.kind, e.params, e.simTime, e.rows);
}

std::string ReadStore::owner() const { return meta("owner"); }
void ReadStore::setOwner(const std::string& agency) { setMeta("owner", agency); }

void ReadStore::setRetention(const RetentionPolicy& policy) {
    setMeta("retention", policy.toJson().dump());
    retention_ = policy;
}

int64_t ReadStore::purge(double now) {
    const double readsBefore = retention_.oldestKept(now, false);
    const double hitsBefore = retention_.oldestKept(now, true);
    sql::Transaction tx(db_);
    const std::set<int64_t> daysBefore = days_;
    int64_t deleted = 0;
    try {
        deleted = purgeWholeDays(readsBefore, hitsBefore);
        // What is left to expire lies in the kept hits and in the one day the cutoff falls in.
        // The key bound keeps each scan to the expired part of the partition.
        for (const Partition& p : partitionsOverlapping(-RetentionPolicy::kForever, readsBefore)) {
            const std::string expired = "id <= ?3 AND time < ?1 AND (hit = 0 OR time < ?2)";
            sql::Statement(db_,
                           "DELETE FROM " + p.truth + " WHERE read_id IN (SELECT id FROM " + p.reads + " WHERE " + expired + ")")
                .run(readsBefore, hitsBefore, lastKeyAt(readsBefore));
            sql::Statement(db_, "DELETE FROM " + p.reads + " WHERE " + expired)
                .run(readsBefore, hitsBefore, lastKeyAt(readsBefore));
            deleted += sqlite3_changes64(db_.handle());
        }
        tx.commit();
    } catch (...) {
        days_ = daysBefore;
        throw;
    }
    return deleted;
}

// Drops every day partition whose whole day has expired, first moving its hits to the kept-hits
// partition if hits are kept longer. Returns the reads dropped.
int64_t ReadStore::purgeWholeDays(double readsBefore, double hitsBefore) {
    int64_t dropped = 0;
    const Partition keep = keptHitsPartition();
    if (!days_.empty() && static_cast<double>(*days_.begin() + 1) * kPartitionSeconds <= readsBefore)
        statements_.clear();  // no cached statement may hold or name a table about to be dropped
    while (!days_.empty() && static_cast<double>(*days_.begin() + 1) * kPartitionSeconds <= readsBefore) {
        const int64_t day = *days_.begin();
        const Partition p = dayPartition(day);
        {
            sql::Statement count(db_, "SELECT COUNT(*) FROM " + p.reads);  // finalized before the DROP
            count.step();
            dropped += count.integer(0);
        }
        if (static_cast<double>(day + 1) * kPartitionSeconds > hitsBefore) {
            db_.exec("INSERT INTO " + keep.truth + " SELECT t.* FROM " + p.truth + " t JOIN " + p.reads +
                     " r ON r.id = t.read_id WHERE r.hit = 1;"
                     "INSERT INTO " +
                     keep.reads + " SELECT * FROM " + p.reads + " WHERE hit = 1;");
            dropped -= sqlite3_changes64(db_.handle());
        }
        db_.exec("DROP TABLE " + p.truth + "; DROP TABLE " + p.reads + ";");
        days_.erase(days_.begin());
    }
    return dropped;
}

void ReadStore::saveHotList(const HotList& list) {
    sql::Transaction tx(db_);
    db_.exec("DELETE FROM hot_list_truth; DELETE FROM hot_list;");
    sql::Statement entry(db_, "INSERT INTO hot_list(plate, reason, state) VALUES (?, ?, ?)");
    sql::Statement truth(db_, "INSERT INTO hot_list_truth(plate, vehicle, cleared_at) VALUES (?, ?, ?)");
    for (const FlaggedVehicle& f : list.entries()) {
        entry.run(f.plate, f.reason, f.state);
        truth.run(f.plate, f.vehicle, std::isinf(f.clearedAt) ? std::nullopt : std::optional(f.clearedAt));
    }
    setMeta("hot_list_listed_at", nlohmann::json(list.listedAt()).dump());
    // JSON has no infinity: a list never refreshed stores null.
    const double refresh = list.upkeep().refreshSeconds;
    setMeta("hot_list_upkeep",
            nlohmann::json{{"refresh_s", std::isinf(refresh) ? nlohmann::json(nullptr) : nlohmann::json(refresh)},
                           {"states_read_share", list.upkeep().statesReadShare},
                           {"state_seed", list.upkeep().stateSeed}}
                .dump());
    tx.commit();
}

HotList ReadStore::loadHotList() const {
    std::vector<FlaggedVehicle> entries;
    sql::Statement s(db_,
                     "SELECT h.plate, t.vehicle, h.reason, h.state, t.cleared_at FROM hot_list h "
                     "JOIN hot_list_truth t ON t.plate = h.plate ORDER BY h.plate");
    while (s.step())
        entries.push_back(
            {s.text(0), s.text(1), s.text(2), s.text(3), s.isNull(4) ? std::numeric_limits<double>::infinity() : s.real(4)});
    double listedAt = 0.0;
    sql::Statement at(db_, "SELECT value FROM meta WHERE key = 'hot_list_listed_at'");
    if (at.step()) listedAt = nlohmann::json::parse(at.text(0)).get<double>();
    HotList::Upkeep upkeep;
    sql::Statement kept(db_, "SELECT value FROM meta WHERE key = 'hot_list_upkeep'");
    if (kept.step()) {
        const nlohmann::json u = nlohmann::json::parse(kept.text(0));
        upkeep.refreshSeconds =
            u.at("refresh_s").is_null() ? std::numeric_limits<double>::infinity() : u.at("refresh_s").get<double>();
        upkeep.statesReadShare = u.at("states_read_share").get<double>();
        upkeep.stateSeed = u.at("state_seed").get<uint64_t>();
    }
    return HotList(std::move(entries), listedAt, upkeep);
}

std::string ReadStore::integrityCheck() const {
    sql::Statement s(db_, "PRAGMA integrity_check");
    std::string result;
    while (s.step()) result += (result.empty() ? "" : "\n") + s.text(0);
    return result;
}

void ReadStore::checkpoint() { db_.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace alprsim
