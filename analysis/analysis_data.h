#pragma once
// What analysis works on, in compact indexed form: the road network, the cameras, the true
// vehicles and trips (ground truth), and every read with the plate string the adversary holds
// and the vehicle that really passed. Built from a run directory (loadRunDirectory) or, in tests
// and benchmarks, by construction (AnalysisDataBuilder).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "sim/edge_locator.h"
#include "sim/road_network.h"
#include "sim/trip_log.h"
#include "store/read_log.h"
#include "store/read_store.h"

namespace alprsim {

constexpr uint32_t kNoIndex = UINT32_MAX;

// A place reads are attributed to. A fixed camera is one; a mobile camera (a patrol car) reads
// wherever it drives, so its own record (where its shift started) gets no reads, and each of its
// reads goes to a *site*: a virtual camera of the same agency on the road edge the read was made
// on, one per kMobileSiteMetres of that edge, shared by all of the agency's mobile cameras.
struct AnalysisCamera {
    enum class Kind { Fixed, Mobile, MobileSite };
    std::string id;
    std::string agency;
    uint32_t edge = 0;      // index into the road network
    double position = 0.0;  // metres from the edge's start
    LatLon where;
    Kind kind = Kind::Fixed;
};

// The length of road one mobile site stands for: twice a patrol camera's 20 m range. A patrol
// read says where the patrol car was, and the plate read was within 20 m ahead of or behind it,
// so positions along the street are known to about +-20 m; finer sites would split one parked
// car's nightly reads (the place inference counts anchors per site) without placing anything
// better, coarser ones would blur paths and endpoints.
constexpr double kMobileSiteMetres = 40.0;
// A mobile read further than this from every road edge is an input error (they are made on roads).
constexpr double kMobileSnapMaxMetres = 100.0;

struct AnalysisVehicle {
    std::string id;
    uint32_t plate = kNoIndex;  // its true plate, as an index into AnalysisData::plates
    uint32_t homeEdge = kNoIndex;
    uint32_t workEdge = kNoIndex;
};

struct AnalysisTrip {
    std::string id;
    uint32_t vehicle = 0;
    double depart = -1.0;         // -1: never entered the network
    double arrive = -1.0;         // -1: still under way when the run ended
    std::vector<uint32_t> route;  // edge indices, origin first
    bool departed() const { return depart >= 0; }
};

// One read: what the adversary holds (plate string, time, camera) and, for evaluation only,
// who really passed and which of their trips it was.
struct AnalysisRead {
    double time = 0.0;
    uint32_t plate = 0;  // the plate as read, index into AnalysisData::plates
    uint32_t camera = 0;
    uint32_t vehicle = 0;      // ground truth
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
    std::vector<StoreHoldings> agencies;  // sorted by agency name
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

    // A mobile camera's record (its shift start) is kept, but its reads go to sites (addRead).
    void addCamera(const std::string& id, const std::string& agency, const std::string& edge, double position,
                   bool mobile = false);
    // Adds or updates a vehicle; homeEdge/workEdge "" when unknown.
    void addVehicle(const std::string& id, const std::string& plate, const std::string& homeEdge = "",
                    const std::string& workEdge = "");
    void markPopulationKnown() { data_.populationKnown = true; }
    void addTrip(const std::string& id, const std::string& vehicle, double depart, double arrive,
                 const std::vector<std::string>& route);
    // The same with the route as indices of the builder's road network (moved in).
    void addTrip(std::string id, const std::string& vehicle, double depart, double arrive, std::vector<uint32_t> route);
    // `where` is where the read was made: a mobile camera's read is attributed to the site there
    // (the nearest road edge and its kMobileSiteMetres stretch); a fixed camera's to the camera.
    void addRead(const std::string& plateAsRead, double time, const std::string& camera, const std::string& vehicle,
                 LatLon where = {});
    // Every read of a run's log, in its time order: the same as addRead for each in turn, with
    // each camera, vehicle and plate name looked up once instead of once a read.
    void addReads(ReadLog& reads);

    // A store network: its sharing mode and the agencies that may send reads to the state store.
    void setStoreNetwork(const std::string& sharingMode, std::vector<std::string> contributors);
    // A store of the network ("state" for the state store) and, one by one, the reads it holds;
    // each must be one of the reads added with addRead (matched on plate, time, camera and vehicle).
    void addStore(const std::string& store, const std::string& file);
    void addHeldRead(const std::string& store, const std::string& plateAsRead, double time, const std::string& camera,
                     const std::string& vehicle, LatLon where = {});

    // Appends the mobile sites to the cameras (ordered by agency, edge index and stretch, so the
    // order never depends on the order reads came in), sorts reads by time (stable), attributes
    // each to its vehicle's trip under way, and finds the stores' reads among them (throws
    // InputError if a store holds a read never made).
    AnalysisData finish();

    uint32_t edgeIndex(const std::string& edge, const std::string& where) const;
    uint32_t plateIndex(const std::string& plate);

private:
    // The camera a read is attributed to: the camera itself, or (mobile) a site, given for now
    // as kSiteFlag | the site's key number, renumbered by finish().
    uint32_t attribute(uint32_t camera, LatLon where, const std::string& file);
    void placeSites();
    static constexpr uint32_t kSiteFlag = 0x80000000u;
    struct SiteKey {
        std::string agency;
        uint32_t edge;
        int64_t stretch;
        bool operator<(const SiteKey& o) const { return std::tie(agency, edge, stretch) < std::tie(o.agency, o.edge, o.stretch); }
    };
    std::map<SiteKey, uint32_t> sites_;  // -> key number, in order of first use
    std::unique_ptr<EdgeLocator> locator_;

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
// cameras.geojson says which cameras are mobile ("kind": "patrol"); their reads go to sites.
// Without cameras.geojson every camera is taken as fixed, and a read made away from its camera
// (more than a metre off) is an input error asking for the file.
// Throws InputError naming the file, field and expectation when something is missing or malformed.
AnalysisData loadRunDirectory(const std::filesystem::path& runDir);

// What a run holds in memory when it analyses itself (`alprsim run`), the same data its files give
// loadRunDirectory(runDir).
struct RunInMemory {
    RoadNetwork roads;
    const std::string& vehiclesCsv;     // vehicles.csv's text
    std::vector<TripRecord>& trips;     // their routes are lent to the data (see returnRoutes)
    std::vector<CameraRecord> cameras;  // as reads.sqlite lists them
    ReadLog& reads;                     // every read the run made (reads.sqlite's)
};

// The same as loadRunDirectory(runDir) from what the run holds in memory: only cameras.geojson
// and, with a store network, what its stores held are read from runDir. The trips' routes are
// moved into the data, not copied (a month's routes are gigabytes), and their times taken as
// trips.csv holds them, so both ways give the same data.
AnalysisData loadRunDirectory(const std::filesystem::path& runDir, RunInMemory run);

// Gives the routes lent by loadRunDirectory(runDir, run) back to the trips they came from.
void returnRoutes(AnalysisData& data, std::vector<TripRecord>& trips);

}  // namespace alprsim
