#pragma once
// The run folder, the contract between `alprsim run` (pipeline/), `alprsim analyze` (analysis/),
// the report (report/) and sweeps (sweep/): every file a run writes, named once here.
// results.json's content is RunResults (run_folder/run_results.h), its shape
// run_folder/results.schema.json.
#include <filesystem>
#include <utility>

namespace alprsim {

class RunFolder {
public:
    // Written last: its presence marks a complete run.
    static constexpr const char* kResults = "results.json";
    static constexpr const char* kTrips = "trips.csv";  // ground truth, annotated by the analysis
    static constexpr const char* kVehicles = "vehicles.csv";
    static constexpr const char* kReads = "reads.sqlite";  // every read with its truth
    static constexpr const char* kRoads = "roads.json";
    static constexpr const char* kCameras = "cameras.geojson";
    static constexpr const char* kCamerasSumo = "cameras.add.xml";  // the cameras as SUMO additionals
    static constexpr const char* kExampleTrips = "example_trips.geojson";
    static constexpr const char* kAnalysis = "analysis.json";  // `alprsim analyze` without --out
    static constexpr const char* kReport = "report.html";      // `run --report`
    static constexpr const char* kSumoLog = "sumo.log";
    static constexpr const char* kStores = "stores";  // the scenario's agency stores, if any
    static constexpr const char* kDays = "days";      // day parts, while --day-processes runs
    // A day part (pipeline/day_parts.h), written by `alprsim run --only-day K`.
    static constexpr const char* kDayPart = "part.json";
    static constexpr const char* kDayOutcomes = "outcomes.csv";
    // In days/: the fixed cameras as the run deployed them, which its day processes place again.
    static constexpr const char* kDayCameras = "cameras.json";

    explicit RunFolder(std::filesystem::path dir) : dir_(std::move(dir)) {}

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path results() const { return dir_ / kResults; }
    std::filesystem::path trips() const { return dir_ / kTrips; }
    std::filesystem::path vehicles() const { return dir_ / kVehicles; }
    std::filesystem::path reads() const { return dir_ / kReads; }
    std::filesystem::path roads() const { return dir_ / kRoads; }
    std::filesystem::path cameras() const { return dir_ / kCameras; }
    std::filesystem::path camerasSumo() const { return dir_ / kCamerasSumo; }
    std::filesystem::path exampleTrips() const { return dir_ / kExampleTrips; }
    std::filesystem::path analysis() const { return dir_ / kAnalysis; }
    std::filesystem::path report() const { return dir_ / kReport; }
    std::filesystem::path sumoLog() const { return dir_ / kSumoLog; }
    std::filesystem::path stores() const { return dir_ / kStores; }
    std::filesystem::path days() const { return dir_ / kDays; }
    std::filesystem::path dayPart() const { return dir_ / kDayPart; }
    std::filesystem::path dayOutcomes() const { return dir_ / kDayOutcomes; }
    std::filesystem::path dayCameras() const { return days() / kDayCameras; }

private:
    std::filesystem::path dir_;
};

}  // namespace alprsim
