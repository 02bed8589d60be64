#pragma once
// results.json, typed: what `alprsim run` writes (pipeline/) and the report and sweeps read.
// Its shape is run_folder/results.schema.json, held equal to this by tests/pipeline.
//
// Readers meet older or partial runs: a field absent from the file stays absent here (an empty
// optional or string, a null JSON section) and nothing is filled in. The sections that other
// stages produce whole (the scenario as given, the demand's realism check, sensing, analysis'
// metrics, the field-record table) are kept as JSON.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace alprsim {

struct NetworkResults {
    std::string osm;                                  // the network's OSM file name (a region's: its extracts', comma-separated)
    nlohmann::json region = nlohmann::json::array();  // a region's "Town: extract.osm"; [] for one extract
    std::optional<uint64_t> edges;
    std::optional<double> lengthKm;
    std::map<std::string, uint64_t> edgesByTown;  // "(outside any town)" for edges in none
};

struct SimulatedResults {
    std::optional<double> beginSeconds, endSeconds;  // since midnight of day 0
    std::optional<uint64_t> steps, days, dayProcesses;
    std::string model;        // "microscopic" or "mesoscopic"
    std::string recognition;  // "perfect", "calibrated" or "full"
};

struct RunCounts {
    std::optional<uint64_t> vehicles, cameras, reads;
    std::optional<uint64_t> tripsPlanned, tripsDeparted, tripsCompleted, tripsTeleported, tripsRerouted, tripsUnroutable;
    std::optional<uint64_t> readsCorrect, readsMisread, capturesNotRead;
};

// What the hot list gave the agencies (runs whose scenario has a stores section).
struct HotListResults {
    std::optional<uint64_t> readsRecorded, alerts, trueAlerts, falseAlerts;
    std::optional<double> hitShare, falseAlertShare;
    std::map<std::string, uint64_t> falseAlertsByCause;
    std::map<std::string, double> falseAlertShareByCause;
    nlohmann::json falseAlertCauses;  // the causes' parameters as the run used them
    std::optional<uint64_t> entriesOutsideSimulation, flaggedVehicles, flaggedVehiclesFound;
    std::optional<double> marylandHitShare;
};

// One agency of a scenario's agencies section (scenarios/region_agencies.h).
struct AgencyResults {
    std::string program;                    // "state-grant-2011", "independent-purchase", "opted-out", "none"
    std::string programSource;              // the agency file it came from, or "scenario" (none on record)
    std::optional<uint64_t> fixed, patrol;  // its cameras
    std::string sharing;                    // "local", "pooled" or "agreement"
    nlohmann::json sharesWith;              // agreement: the neighbours its reads go to
};

struct RunMetrics {
    nlohmann::json tripCoverage;        // analysis/trip_coverage.h
    nlohmann::json reconstructibility;  // analysis/reconstructibility.h
};

struct RunResults {
    std::string alprsimVersion;
    std::string scenarioFile;  // the scenario's file name
    nlohmann::json scenario;   // the scenario as given (with its bases merged)
    std::optional<uint64_t> seed;
    NetworkResults network;
    SimulatedResults simulated;
    RunCounts counts;
    nlohmann::json demand;  // sim/demand_realism.h
    RunMetrics metrics;
    nlohmann::json sensing;                         // sensors/sensor_array.h
    std::optional<HotListResults> hotList;          // written as null when the run has no agency stores
    nlohmann::json fieldRecord;                     // analysis/field_record.h
    std::map<std::string, AgencyResults> agencies;  // the scenario's agencies section; empty without one
};

// The sections of results.json whose numbers are the run's measurements (a sweep's summary
// averages every number in them).
inline constexpr const char* kMeasurementSections[] = {"counts", "hot_list", "metrics"};

void to_json(nlohmann::json& j, const RunResults& r);
// Throws InputError naming "results.json" and the JSON pointer of a field of the wrong type.
void from_json(const nlohmann::json& j, RunResults& r);
// The same, naming `file` in the error.
RunResults readRunResults(const nlohmann::json& doc, const std::string& file);

// Typed access to optional fields of a JSON document by JSON pointer: absent and null are
// absent; a field of the wrong type throws InputError naming `file` and the pointer.
class JsonFields {
public:
    JsonFields(const nlohmann::json& doc, std::string file) : doc_(doc), file_(std::move(file)) {}

    const nlohmann::json* find(const std::string& pointer) const;
    std::optional<double> number(const std::string& pointer) const;
    std::optional<uint64_t> count(const std::string& pointer) const;  // a whole number >= 0
    std::optional<double> share(const std::string& pointer) const;    // a number in [0, 1]
    std::string text(const std::string& pointer) const;               // "" when absent
    [[noreturn]] void fail(const std::string& pointer, const std::string& expected) const;
    const std::string& file() const { return file_; }

private:
    const nlohmann::json& doc_;
    std::string file_;
};

}  // namespace alprsim
