#pragma once
// ReadStore: one SQLite file holding ALPR reads as an agency's back office holds them
// (plate string as read, time, camera, place), with the simulation's ground truth for each
// read in a separate table that only evaluation code touches.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "store/sqlite.h"

namespace alprsim {

struct Read {
    std::string plate;        // the text the reader produced (may be a misread)
    double time = 0.0;        // simulated seconds since the scenario's start
    std::string camera;       // camera id
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

class ReadStore {
public:
    // Creates a new store file (fails if it exists), in WAL mode with the schema.
    static ReadStore create(const std::filesystem::path& path);
    // Opens an existing store; throws InputError naming the file if it is not one.
    static ReadStore open(const std::filesystem::path& path);

    void addCameras(const std::vector<CameraRecord>& cameras);
    // reads[i] has truth[i]; inserted in one transaction.
    void insert(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth);

    int64_t readCount() const;
    std::vector<CameraRecord> cameras() const;
    // A plate's reads with t0 <= time <= t1, in time order.
    std::vector<Read> plateHistory(const std::string& plate, double t0, double t1) const;
    // Every read with its truth, in time order (evaluation).
    void forEachReadWithTruth(const std::function<void(const Read&, const ReadTruth&)>& visit) const;

    // Folds the WAL back into the main file so the store is a single self-contained file.
    void checkpoint();

private:
    explicit ReadStore(sql::Database db) : db_(std::move(db)) {}
    sql::Database db_;
};

}  // namespace alprsim
