#include "store/read_store.h"

#include "core/error.h"

namespace alprsim {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cameras(
  id TEXT PRIMARY KEY, agency TEXT NOT NULL, edge TEXT NOT NULL, position REAL NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE reads(
  id INTEGER PRIMARY KEY, plate TEXT NOT NULL, time REAL NOT NULL, camera TEXT NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, confidence REAL NOT NULL);
CREATE INDEX reads_by_plate_time ON reads(plate, time);
CREATE INDEX reads_by_time ON reads(time);
CREATE TABLE read_truth(
  read_id INTEGER PRIMARY KEY REFERENCES reads(id), vehicle TEXT NOT NULL, true_plate TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('format', 'alprsim-read-store'), ('version', '1');
)sql";

Read readFromRow(const sql::Statement& s, int first) {
    return Read{s.text(first), s.real(first + 1), s.text(first + 2), LatLon{s.real(first + 3), s.real(first + 4)},
                s.real(first + 5)};
}
}  // namespace

ReadStore ReadStore::create(const std::filesystem::path& path) {
    if (std::filesystem::exists(path)) throw InputError(path.string(), "", "a read store path that does not exist yet");
    sql::Database db(path, sql::Database::Mode::CreateNew);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    sql::Transaction tx(db);
    db.exec(kSchema);
    tx.commit();
    return ReadStore(std::move(db));
}

ReadStore ReadStore::open(const std::filesystem::path& path) {
    if (!std::filesystem::is_regular_file(path)) throw InputError(path.string(), "", "an existing read store file");
    sql::Database db(path, sql::Database::Mode::OpenExisting);
    try {
        sql::Statement s(db, "SELECT value FROM meta WHERE key = 'format'");
        if (!s.step() || s.text(0) != "alprsim-read-store") throw std::runtime_error("wrong format");
    } catch (const std::exception&) {
        throw InputError(path.string(), "", "an alprsim read store (SQLite with a meta table)");
    }
    return ReadStore(std::move(db));
}

void ReadStore::addCameras(const std::vector<CameraRecord>& cameras) {
    sql::Transaction tx(db_);
    sql::Statement s(db_, "INSERT INTO cameras(id, agency, edge, position, lat, lon) VALUES (?,?,?,?,?,?)");
    for (const CameraRecord& c : cameras) {
        s.bind(1, c.id).bind(2, c.agency).bind(3, c.edge).bind(4, c.position).bind(5, c.where.lat).bind(6, c.where.lon);
        s.step();
        s.reset();
    }
    tx.commit();
}

void ReadStore::insert(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth) {
    if (reads.size() != truth.size()) throw std::logic_error("ReadStore::insert: reads and truth differ in length");
    sql::Transaction tx(db_);
    sql::Statement r(db_, "INSERT INTO reads(plate, time, camera, lat, lon, confidence) VALUES (?,?,?,?,?,?)");
    sql::Statement t(db_, "INSERT INTO read_truth(read_id, vehicle, true_plate) VALUES (?,?,?)");
    for (size_t i = 0; i < reads.size(); ++i) {
        const Read& x = reads[i];
        r.bind(1, x.plate).bind(2, x.time).bind(3, x.camera).bind(4, x.where.lat).bind(5, x.where.lon).bind(6, x.confidence);
        r.step();
        r.reset();
        t.bind(1, static_cast<int64_t>(sqlite3_last_insert_rowid(db_.handle())))
            .bind(2, truth[i].vehicle)
            .bind(3, truth[i].truePlate);
        t.step();
        t.reset();
    }
    tx.commit();
}

int64_t ReadStore::readCount() const {
    sql::Statement s(db_, "SELECT COUNT(*) FROM reads");
    s.step();
    return s.integer(0);
}

std::vector<CameraRecord> ReadStore::cameras() const {
    std::vector<CameraRecord> out;
    sql::Statement s(db_, "SELECT id, agency, edge, position, lat, lon FROM cameras ORDER BY id");
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.real(3), LatLon{s.real(4), s.real(5)}});
    return out;
}

std::vector<Read> ReadStore::plateHistory(const std::string& plate, double t0, double t1) const {
    std::vector<Read> out;
    sql::Statement s(db_,
                     "SELECT plate, time, camera, lat, lon, confidence FROM reads "
                     "WHERE plate = ? AND time BETWEEN ? AND ? ORDER BY time, id");
    s.bind(1, plate).bind(2, t0).bind(3, t1);
    while (s.step()) out.push_back(readFromRow(s, 0));
    return out;
}

void ReadStore::forEachReadWithTruth(const std::function<void(const Read&, const ReadTruth&)>& visit) const {
    sql::Statement s(db_,
                     "SELECT r.plate, r.time, r.camera, r.lat, r.lon, r.confidence, t.vehicle, t.true_plate "
                     "FROM reads r JOIN read_truth t ON t.read_id = r.id ORDER BY r.time, r.id");
    while (s.step()) visit(readFromRow(s, 0), ReadTruth{s.text(6), s.text(7)});
}

void ReadStore::checkpoint() { db_.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace alprsim
