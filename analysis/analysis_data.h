#pragma once
// What analysis works on, in compact indexed form: the road network, the cameras, the true
// vehicles and trips (ground truth), and every read with the plate string the adversary holds
// and the vehicle that really passed. Built from a run directory (loadRunDirectory) or, in tests
// and benchmarks, by construction (AnalysisDataBuilder).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "sim/road_network.h"

namespace alprsim {

constexpr uint32_t kNoIndex = UINT32_MAX;

struct AnalysisCamera {
    std::string id;
    std::string agency;
    uint32_t edge = 0;      // index into the road network
    double position = 0.0;  // metres from the edge's start
    LatLon where;
};

struct AnalysisVehicle {
    std::string id;
    uint32_t plate = kNoIndex;  // its true plate, as an index into AnalysisData::plates
    uint32_t homeEdge = kNoIndex;
    uint32_t workEdge = kNoIndex;
};

struct AnalysisTrip {
    std::string id;
    uint32_t vehicle = 0;
    double depart = -1.0;  // -1: never entered the network
    double arrive = -1.0;  // -1: still under way when the run ended
    std::vector<uint32_t> route;  // edge indices, origin first
    bool departed() const { return depart >= 0; }
};

// One read: what the adversary holds (plate string, time, camera) and, for evaluation only,
// who really passed and which of their trips it was.
struct AnalysisRead {
    double time = 0.0;
    uint32_t plate = 0;     // the plate as read, index into AnalysisData::plates
    uint32_t camera = 0;
    uint32_t vehicle = 0;   // ground truth
    uint32_t trip = kNoIndex;  // ground truth: the trip under way, if any
};

// What one read store of a store network held when the run ended.
struct StoreHoldings {
    std::string store;            // an agency's name, or "state" for the state store
    std::string file;             // relative to the run directory, e.g. "stores/state.sqlite"
    std::vector<uint32_t> reads;  // indices into AnalysisData::reads, ascending (time order)
};

// A run with a store network (a "stores" section): what the sharing rules let into the state
// store, and what each agency's own store kept.
struct StoreNetworkHoldings {
    std::string sharingMode;                // "local", "pooled" or "hits-only"
    std::vector<std::string> contributors;  // agencies whose reads may reach the state store, sorted
    StoreHoldings state;
    std::vector<StoreHoldings> agencies;    // sorted by agency name
};

struct AnalysisData {
    RoadNetwork roads{std::vector<RoadEdge>{}};
    std::vector<AnalysisCamera> cameras;
    std::vector<AnalysisVehicle> vehicles;
    bool populationKnown = false;  // homes and work places known (vehicles.csv present)
    std::vector<AnalysisTrip> trips;
    std::vector<std::string> plates;  // every plate string: true plates and misreads
    std::vector<AnalysisRead> reads;  // in time order: every read made (the run's complete record)
    // The run's store network, if it had one; without it the pooled view is the union of reads.
    std::optional<StoreNetworkHoldings> stores;

    std::vector<std::string> agencies() const;  // sorted, distinct
    // The end of the run as the data shows it: the latest departure, arrival or read.
    double endTime() const;
    // Distinct simulated days (time 0 is midnight of day 0) from the first departure to the end.
    int simulatedDays() const;
    // Whether the read carries its vehicle's true plate.
    bool correctlyRead(const AnalysisRead& r) const { return r.plate == vehicles[r.vehicle].plate; }
};

// Builds AnalysisData from names (ids, plate strings), interning them, and attributes reads to
// trips at the end. Throws InputError (naming `source`) for unknown edges, cameras or vehicles.
class AnalysisDataBuilder {
public:
    AnalysisDataBuilder(RoadNetwork roads, std::string source);

    void addCamera(const std::string& id, const std::string& agency, const std::string& edge, double position);
    // Adds or updates a vehicle; homeEdge/workEdge "" when unknown.
    void addVehicle(const std::string& id, const std::string& plate, const std::string& homeEdge = "",
                    const std::string& workEdge = "");
    void markPopulationKnown() { data_.populationKnown = true; }
    void addTrip(const std::string& id, const std::string& vehicle, double depart, double arrive,
                 const std::vector<std::string>& route);
    void addRead(const std::string& plateAsRead, double time, const std::string& camera, const std::string& vehicle);

    // A store network: its sharing mode and the agencies that may send reads to the state store.
    void setStoreNetwork(const std::string& sharingMode, std::vector<std::string> contributors);
    // A store of the network ("state" for the state store) and, one by one, the reads it holds;
    // each must be one of the reads added with addRead (matched on plate, time, camera and vehicle).
    void addStore(const std::string& store, const std::string& file);
    void addHeldRead(const std::string& store, const std::string& plateAsRead, double time, const std::string& camera,
                     const std::string& vehicle);

    // Sorts reads by time (stable), attributes each to its vehicle's trip under way, and finds
    // the stores' reads among them (throws InputError if a store holds a read never made).
    AnalysisData finish();

    uint32_t edgeIndex(const std::string& edge, const std::string& where) const;
    uint32_t plateIndex(const std::string& plate);

private:
    AnalysisData data_;
    std::string source_;
    std::unordered_map<std::string, uint32_t> cameraIndex_, vehicleIndex_, plateIndex_;
    std::map<std::string, std::vector<AnalysisRead>> held_;  // by store, until finish() matches them
    std::map<std::string, std::string> storeFiles_;
    void matchHeldReads();
};

// Reads a run directory written by `alprsim run`: roads.json, trips.csv, the reads (reads.sqlite,
// or the per-agency stores in stores/), vehicles.csv when the run had a population, and, when the
// run had a store network (stores/network.json), what its state store and agency stores held.
// Throws InputError naming the file, field and expectation when something is missing or malformed.
AnalysisData loadRunDirectory(const std::filesystem::path& runDir);

}  // namespace alprsim
