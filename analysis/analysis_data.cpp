#include "analysis/analysis_data.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "analysis/trip_table.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "core/json_reader.h"
#include "sim/road_network_io.h"
#include "store/read_store.h"
#include "store/store_network.h"
#include "run_folder/run_folder.h"

namespace alprsim {

std::vector<std::string> AnalysisData::agencies() const {
    std::set<std::string> names;
    for (const AnalysisCamera& c : cameras) names.insert(c.agency);
    return {names.begin(), names.end()};
}

double AnalysisData::endTime() const {
    double end = 0.0;
    for (const AnalysisTrip& t : trips) end = std::max({end, t.depart, t.arrive});
    if (!reads.empty()) end = std::max(end, reads.back().time);
    return end;
}

int AnalysisData::simulatedDays() const {
    double first = std::numeric_limits<double>::infinity();
    for (const AnalysisTrip& t : trips)
        if (t.departed()) first = std::min(first, t.depart);
    if (!std::isfinite(first)) return 0;
    return static_cast<int>(std::floor(endTime() / 86400) - std::floor(first / 86400)) + 1;
}

AnalysisDataBuilder::AnalysisDataBuilder(RoadNetwork roads, std::string source) : source_(std::move(source)) {
    data_.roads = std::move(roads);
}

uint32_t AnalysisDataBuilder::edgeIndex(const std::string& edge, const std::string& where) const {
    if (!data_.roads.contains(edge)) throw InputError(source_, where, "an edge id of roads.json, not \"" + edge + "\"");
    return static_cast<uint32_t>(data_.roads.indexOf(edge));
}

uint32_t AnalysisDataBuilder::plateIndex(const std::string& plate) {
    const auto [it, added] = plateIndex_.try_emplace(plate, static_cast<uint32_t>(data_.plates.size()));
    if (added) data_.plates.push_back(plate);
    return it->second;
}

void AnalysisDataBuilder::addCamera(const std::string& id, const std::string& agency, const std::string& edge, double position,
                                    bool mobile) {
    if (cameraIndex_.count(id)) return;  // the same camera listed by several stores
    AnalysisCamera c{id,       agency, edgeIndex(edge, "camera " + id + "/edge"),
                     position, {},     mobile ? AnalysisCamera::Kind::Mobile : AnalysisCamera::Kind::Fixed};
    c.where = data_.roads.pointAlong(c.edge, position);
    cameraIndex_.emplace(id, static_cast<uint32_t>(data_.cameras.size()));
    data_.cameras.push_back(std::move(c));
}

void AnalysisDataBuilder::addVehicle(const std::string& id, const std::string& plate, const std::string& homeEdge,
                                     const std::string& workEdge) {
    const auto [it, added] = vehicleIndex_.try_emplace(id, static_cast<uint32_t>(data_.vehicles.size()));
    if (added) data_.vehicles.push_back(AnalysisVehicle{id, plateIndex(plate), kNoIndex, kNoIndex});
    AnalysisVehicle& v = data_.vehicles[it->second];
    if (data_.plates[v.plate] != plate)
        throw InputError(source_, "vehicle " + id + "/plate",
                         "one plate per vehicle, not both " + data_.plates[v.plate] + " and " + plate);
    if (!homeEdge.empty()) v.homeEdge = edgeIndex(homeEdge, "vehicle " + id + "/home_edge");
    if (!workEdge.empty()) v.workEdge = edgeIndex(workEdge, "vehicle " + id + "/work_edge");
}

void AnalysisDataBuilder::addTrip(const std::string& id, const std::string& vehicle, double depart, double arrive,
                                  const std::vector<std::string>& route) {
    std::vector<uint32_t> edges;
    edges.reserve(route.size());
    for (const std::string& e : route) edges.push_back(edgeIndex(e, "trip " + id + "/route_edges"));
    addTrip(id, vehicle, depart, arrive, std::move(edges));
}

void AnalysisDataBuilder::addTrip(std::string id, const std::string& vehicle, double depart, double arrive,
                                  std::vector<uint32_t> route) {
    const auto it = vehicleIndex_.find(vehicle);
    if (it == vehicleIndex_.end()) throw InputError(source_, "trip " + id + "/vehicle", "a known vehicle, not " + vehicle);
    if (route.empty()) throw InputError(source_, "trip " + id + "/route_edges", "at least one edge");
    for (const uint32_t e : route)
        if (e >= data_.roads.edges().size()) throw std::logic_error("trip " + id + ": an edge index beyond the road network");
    data_.trips.push_back(AnalysisTrip{std::move(id), it->second, depart, arrive, std::move(route)});
}

uint32_t AnalysisDataBuilder::attribute(uint32_t camera, LatLon where, const std::string& file) {
    const AnalysisCamera& c = data_.cameras[camera];
    if (c.kind != AnalysisCamera::Kind::Mobile) return camera;
    if (!locator_) locator_ = std::make_unique<EdgeLocator>(data_.roads);
    const std::optional<EdgeFix> fix = locator_->nearest(where, kMobileSnapMaxMetres);
    if (!fix) {
        throw InputError(file, "read of camera " + c.id + "/lat, lon",
                         fmt::format("a place on the road network (within {} m of an edge of roads.json), not {:.6f}, {:.6f}",
                                     static_cast<int>(kMobileSnapMaxMetres), where.lat, where.lon));
    }
    const int64_t stretch = static_cast<int64_t>(std::floor(fix->position / kMobileSiteMetres));
    const auto [it, added] =
        sites_.try_emplace(SiteKey{c.agency, static_cast<uint32_t>(fix->edge), stretch}, static_cast<uint32_t>(sites_.size()));
    return kSiteFlag | it->second;
}

void AnalysisDataBuilder::addRead(const std::string& plateAsRead, double time, const std::string& camera,
                                  const std::string& vehicle, LatLon where) {
    const auto cam = cameraIndex_.find(camera);
    if (cam == cameraIndex_.end()) throw InputError(source_, "read/camera", "a known camera id, not " + camera);
    const auto veh = vehicleIndex_.find(vehicle);
    if (veh == vehicleIndex_.end()) throw InputError(source_, "read_truth/vehicle", "a known vehicle, not " + vehicle);
    data_.reads.push_back(
        AnalysisRead{time, plateIndex(plateAsRead), attribute(cam->second, where, source_), veh->second, kNoIndex});
}

void AnalysisDataBuilder::addReads(ReadLog& reads) {
    auto indicesOf = [&](const std::vector<std::string>& names, const std::unordered_map<std::string, uint32_t>& index,
                         const std::string& field, const std::string& expected) {
        std::vector<uint32_t> out;
        out.reserve(names.size());
        for (const std::string& name : names) {
            const auto it = index.find(name);
            if (it == index.end()) throw InputError(source_, field, expected + name);
            out.push_back(it->second);
        }
        return out;
    };
    const std::vector<uint32_t> cameraOf = indicesOf(reads.cameras(), cameraIndex_, "read/camera", "a known camera id, not ");
    const std::vector<uint32_t> vehicleOf =
        indicesOf(reads.vehicles(), vehicleIndex_, "read_truth/vehicle", "a known vehicle, not ");
    std::vector<uint32_t> plateOf(reads.plates().size(), kNoIndex);  // interned as first read, as addRead does
    data_.reads.reserve(data_.reads.size() + reads.size());
    for (const ReadLog::Entry& r : reads.inTimeOrder()) {
        uint32_t& plate = plateOf[r.plate];
        if (plate == kNoIndex) plate = plateIndex(reads.plates()[r.plate]);
        data_.reads.push_back(
            AnalysisRead{r.time, plate, attribute(cameraOf[r.camera], r.where, source_), vehicleOf[r.vehicle], kNoIndex});
    }
}

void AnalysisDataBuilder::setStoreNetwork(const std::string& sharingMode, std::vector<std::string> contributors) {
    std::sort(contributors.begin(), contributors.end());
    data_.stores = StoreNetworkHoldings{sharingMode, std::move(contributors), {}, {}};
}

void AnalysisDataBuilder::addStore(const std::string& store, const std::string& file) {
    if (!data_.stores) throw std::logic_error("AnalysisDataBuilder::addStore before setStoreNetwork");
    storeFiles_[store] = file;
    held_[store];
}

void AnalysisDataBuilder::addHeldRead(const std::string& store, const std::string& plateAsRead, double time,
                                      const std::string& camera, const std::string& vehicle, LatLon where) {
    const auto it = held_.find(store);
    if (it == held_.end()) throw std::logic_error("AnalysisDataBuilder::addHeldRead for a store not added: " + store);
    const std::string& file = storeFiles_.at(store);
    const auto cam = cameraIndex_.find(camera);
    if (cam == cameraIndex_.end()) throw InputError(file, "read/camera", "a camera of the run, not " + camera);
    const auto veh = vehicleIndex_.find(vehicle);
    if (veh == vehicleIndex_.end()) throw InputError(file, "read_truth/vehicle", "a known vehicle, not " + vehicle);
    it->second.push_back(AnalysisRead{time, plateIndex(plateAsRead), attribute(cam->second, where, file), veh->second, kNoIndex});
}

// The sites become cameras after every listed camera, in key order (agency, edge index,
// stretch), and reads attributed to a site get its camera index.
void AnalysisDataBuilder::placeSites() {
    if (sites_.empty()) return;
    std::vector<uint32_t> indexOfKey(sites_.size());
    for (const auto& [key, number] : sites_) {
        const RoadEdge& e = data_.roads.edges()[key.edge];
        AnalysisCamera site;
        site.id = "mobile:" + key.agency + "@" + e.id + ":" + std::to_string(key.stretch);
        if (cameraIndex_.count(site.id))
            throw InputError(source_, "camera " + site.id, "a camera id that does not look like a mobile site's");
        site.agency = key.agency;
        site.edge = key.edge;
        // The middle of the stretch (of what is left of the edge, for the last one).
        const double begin = static_cast<double>(key.stretch) * kMobileSiteMetres;
        site.position = std::min(begin + kMobileSiteMetres / 2, (begin + e.length) / 2);
        site.where = data_.roads.pointAlong(key.edge, site.position);
        site.kind = AnalysisCamera::Kind::MobileSite;
        indexOfKey[number] = static_cast<uint32_t>(data_.cameras.size());
        cameraIndex_.emplace(site.id, indexOfKey[number]);
        data_.cameras.push_back(std::move(site));
    }
    auto renumber = [&](std::vector<AnalysisRead>& reads) {
        for (AnalysisRead& r : reads)
            if (r.camera & kSiteFlag) r.camera = indexOfKey[r.camera & ~kSiteFlag];
    };
    renumber(data_.reads);
    for (auto& [store, held] : held_) renumber(held);
    sites_.clear();
    locator_.reset();
}

namespace {
bool keyLess(const AnalysisRead& a, const AnalysisRead& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.camera != b.camera) return a.camera < b.camera;
    if (a.plate != b.plate) return a.plate < b.plate;
    return a.vehicle < b.vehicle;
}
}  // namespace

// Each store's reads are copies of reads the run made: find each among data_.reads (a multiset
// match on time, camera, plate and vehicle, so identical reads pair off one to one).
void AnalysisDataBuilder::matchHeldReads() {
    if (!data_.stores) return;
    std::vector<uint32_t> order(data_.reads.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        if (keyLess(data_.reads[a], data_.reads[b])) return true;
        if (keyLess(data_.reads[b], data_.reads[a])) return false;
        return a < b;
    });
    for (auto& [store, held] : held_) {
        std::sort(held.begin(), held.end(), keyLess);
        StoreHoldings holdings{store, storeFiles_.at(store), {}};
        holdings.reads.reserve(held.size());
        size_t next = 0;
        for (const AnalysisRead& h : held) {
            while (next < order.size() && keyLess(data_.reads[order[next]], h)) ++next;
            if (next == order.size() || keyLess(h, data_.reads[order[next]]))
                throw InputError(holdings.file,
                                 "read " + data_.plates[h.plate] + " at camera " + data_.cameras[h.camera].id + ", time " +
                                     std::to_string(h.time),
                                 "a read the run made (in its complete record of reads), not one it never made");
            holdings.reads.push_back(order[next++]);
        }
        std::sort(holdings.reads.begin(), holdings.reads.end());
        if (store == StoreNetwork::kStateOwner)
            data_.stores->state = std::move(holdings);
        else
            data_.stores->agencies.push_back(std::move(holdings));
    }
    held_.clear();
}

AnalysisData AnalysisDataBuilder::finish() {
    placeSites();
    std::stable_sort(data_.reads.begin(), data_.reads.end(),
                     [](const AnalysisRead& a, const AnalysisRead& b) { return a.time < b.time; });
    matchHeldReads();
    // Each vehicle's departed trips in departure order, to find the trip under way at a read.
    std::vector<std::vector<uint32_t>> tripsOf(data_.vehicles.size());
    for (uint32_t i = 0; i < data_.trips.size(); ++i)
        if (data_.trips[i].departed()) tripsOf[data_.trips[i].vehicle].push_back(i);
    for (auto& list : tripsOf)
        std::sort(list.begin(), list.end(),
                  [&](uint32_t a, uint32_t b) { return data_.trips[a].depart < data_.trips[b].depart; });
    for (AnalysisRead& r : data_.reads) {
        const auto& list = tripsOf[r.vehicle];
        // The last trip departed at or before the read; it is under way if it has not arrived yet.
        auto it = std::upper_bound(list.begin(), list.end(), r.time,
                                   [&](double t, uint32_t trip) { return t < data_.trips[trip].depart; });
        if (it == list.begin()) continue;
        const AnalysisTrip& t = data_.trips[*(it - 1)];
        if (t.arrive < 0 || r.time <= t.arrive) r.trip = *(it - 1);
    }
    return std::move(data_);
}

namespace {

void loadVehicles(AnalysisDataBuilder& b, std::istream& in, const std::string& file) {
    CsvReader t(in, file);
    const size_t id = t.column("vehicle"), plate = t.column("plate"), home = t.column("home_edge"), work = t.column("work_edge");
    while (t.next()) b.addVehicle(t.row()[id], t.row()[plate], t.row()[home], t.row()[work]);
    b.markPopulationKnown();
}

void loadTrips(AnalysisDataBuilder& b, const std::filesystem::path& file) {
    std::ifstream in = openInputFile(file);
    CsvReader t(in, file.string());
    const size_t id = t.column("trip"), vehicle = t.column("vehicle"), plate = t.column("plate"), depart = t.column("depart"),
                 arrive = t.column("arrive"), route = t.column("route_edges");
    while (t.next()) {
        const auto& row = t.row();
        b.addVehicle(row[vehicle], row[plate]);
        b.addTrip(row[id], row[vehicle], t.number(depart).value_or(-1.0), t.number(arrive).value_or(-1.0),
                  splitSpaces(row[route]));
    }
}

// The stores of a run: reads.sqlite (every read made), or else every agency store of a store
// network (each read is held by the agency whose camera made it; the state store only holds copies).
std::vector<std::filesystem::path> readStoreFiles(const std::filesystem::path& runDir) {
    if (std::filesystem::exists(RunFolder(runDir).reads())) return {RunFolder(runDir).reads()};
    std::vector<std::filesystem::path> files;
    const auto stores = RunFolder(runDir).stores();
    if (std::filesystem::is_directory(stores))
        for (const auto& entry : std::filesystem::directory_iterator(stores)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("agency-", 0) == 0 && entry.path().extension() == ".sqlite") files.push_back(entry.path());
        }
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw InputError(runDir.string(), RunFolder::kReads, "a read store written by alprsim run (or stores/agency-*.sqlite)");
    return files;
}

// The kinds of the run's cameras, from cameras.geojson (features[].properties.id and .kind,
// "fixed" or "patrol"); nullopt if the run directory has no cameras.geojson.
std::optional<std::map<std::string, bool>> loadMobileCameras(const std::filesystem::path& runDir) {
    const auto file = RunFolder(runDir).cameras();
    if (!std::filesystem::exists(file)) return std::nullopt;
    const nlohmann::json doc = parseUserJson(readTextFile(file), file.string());
    if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array())
        throw InputError(file.string(), "/features", "an array of camera features");
    std::map<std::string, bool> mobile;
    for (size_t i = 0; i < doc["features"].size(); ++i) {
        const std::string where = "/features/" + std::to_string(i) + "/properties";
        const nlohmann::json& f = doc["features"][i];
        if (!f.is_object() || !f.contains("properties") || !f["properties"].is_object())
            throw InputError(file.string(), where, "an object with the camera's id and kind");
        JsonObjectReader props(f["properties"], file.string(), where);
        const std::string id = props.requiredString("id");
        mobile[id] = props.requiredChoice("kind", {"fixed", "patrol"}) == "patrol";
    }
    return mobile;
}

// Whether a camera of the stores is mobile, as cameras.geojson says; every camera of the stores
// must be listed there.
bool isMobile(const std::optional<std::map<std::string, bool>>& kinds, const std::filesystem::path& runDir,
              const CameraRecord& c) {
    if (!kinds) return false;
    const auto it = kinds->find(c.id);
    if (it == kinds->end())
        throw InputError(RunFolder(runDir).cameras().string(), "/features",
                         "a feature for every camera of the read stores, including " + c.id);
    return it->second;
}

// Without cameras.geojson the cameras are taken as fixed; a read made away from its camera says
// otherwise (a patrol car's), and placing it at the camera would be wrong.
void checkReadAtCamera(const std::map<std::string, LatLon>& cameraAt, const std::filesystem::path& runDir,
                       const std::filesystem::path& file, const Read& r) {
    const auto it = cameraAt.find(r.camera);
    if (it == cameraAt.end() || haversineMetres(it->second, r.where) <= 1.0) return;
    throw InputError(RunFolder(runDir).cameras().string(), "",
                     "the cameras' kinds (fixed or patrol): without it every camera is taken as fixed, but " +
                         file.filename().string() + " holds a read of camera " + r.camera +
                         " made away from the camera (a mobile camera's?)");
}

// What each store of the run's store network held when the run ended (after its last purge).
void loadStoreNetwork(AnalysisDataBuilder& b, const std::filesystem::path& runDir,
                      const std::optional<std::map<std::string, bool>>& kinds) {
    StoreNetwork network = StoreNetwork::open(RunFolder(runDir).stores());
    std::vector<std::string> contributors;
    for (const std::string& agency : network.agencies())
        if (network.sharing().participates(agency)) contributors.push_back(agency);
    b.setStoreNetwork(std::string(toString(network.sharing().mode)), contributors);
    auto load = [&](const std::string& name, ReadStore& store) {
        const std::string file = "stores/" + store.path().filename().string();
        for (const CameraRecord& c : store.cameras()) b.addCamera(c.id, c.agency, c.edge, c.position, isMobile(kinds, runDir, c));
        b.addStore(name, file);
        store.forEachReadWithTruth([&](const Read& r, const ReadTruth& truth) {
            b.addHeldRead(name, r.plate, r.time, r.camera, truth.vehicle, r.where);
        });
    };
    for (const std::string& agency : network.agencies()) load(agency, network.agencyStore(agency));
    load(StoreNetwork::kStateOwner, network.stateStore());
}

// The run's cameras and reads, from its read stores (and its store network's, if it had one).
void loadReads(AnalysisDataBuilder& b, const std::filesystem::path& runDir) {
    const auto storeFiles = readStoreFiles(runDir);
    const auto kinds = loadMobileCameras(runDir);
    std::map<std::string, LatLon> cameraAt;  // without cameras.geojson, to check reads are made there
    for (const auto& file : storeFiles) {
        const ReadStore store = ReadStore::open(file);
        for (const CameraRecord& c : store.cameras()) {
            b.addCamera(c.id, c.agency, c.edge, c.position, isMobile(kinds, runDir, c));
            if (!kinds) cameraAt.emplace(c.id, c.where);
        }
    }
    for (const auto& file : storeFiles) {
        const ReadStore store = ReadStore::open(file);
        store.forEachReadWithTruth([&](const Read& r, const ReadTruth& truth) {
            if (!kinds) checkReadAtCamera(cameraAt, runDir, file, r);
            b.addRead(r.plate, r.time, r.camera, truth.vehicle, r.where);
        });
    }
    if (std::filesystem::exists(RunFolder(runDir).stores() / "network.json")) loadStoreNetwork(b, runDir, kinds);
}

// The same from the run's memory: its cameras in reads.sqlite's order (by id) and its read log;
// cameras.geojson, which the run writes before analysing itself, says which are mobile.
void loadLoggedReads(AnalysisDataBuilder& b, const std::filesystem::path& runDir, std::vector<CameraRecord> cameras,
                     ReadLog& reads) {
    const auto kinds = loadMobileCameras(runDir);
    if (!kinds) throw std::logic_error("a run analyses itself after writing " + RunFolder(runDir).cameras().string());
    std::sort(cameras.begin(), cameras.end(), [](const CameraRecord& a, const CameraRecord& b) { return a.id < b.id; });
    for (const CameraRecord& c : cameras) b.addCamera(c.id, c.agency, c.edge, c.position, isMobile(kinds, runDir, c));
    b.addReads(reads);
    if (std::filesystem::exists(RunFolder(runDir).stores() / "network.json")) loadStoreNetwork(b, runDir, kinds);
}

// A time as the trip's row in trips.csv gives it back (-1: never happened).
double asInTripsCsv(double t) {
    const std::string cell = tripsCsvSeconds(t);
    double value = -1.0;
    if (!cell.empty()) std::from_chars(cell.data(), cell.data() + cell.size(), value);
    return value;
}

}  // namespace

AnalysisData loadRunDirectory(const std::filesystem::path& runDir) {
    if (!std::filesystem::is_directory(runDir)) throw InputError(runDir.string(), "", "a run directory");
    const RunFolder run(runDir);
    AnalysisDataBuilder b(loadRoadNetwork(run.roads()), runDir.string());
    if (std::filesystem::exists(run.vehicles())) {
        std::ifstream in = openInputFile(run.vehicles());
        loadVehicles(b, in, run.vehicles().string());
    }
    loadTrips(b, run.trips());
    loadReads(b, runDir);
    return b.finish();
}

AnalysisData loadRunDirectory(const std::filesystem::path& runDir, RunInMemory run) {
    AnalysisDataBuilder b(std::move(run.roads), runDir.string());
    std::istringstream vehicles(run.vehiclesCsv);
    loadVehicles(b, vehicles, RunFolder(runDir).vehicles().string());
    for (TripRecord& t : run.trips) {
        b.addVehicle(t.plan.vehicle, t.plan.plate);
        b.addTrip(t.plan.trip, t.plan.vehicle, asInTripsCsv(t.depart), asInTripsCsv(t.arrive), std::move(t.plan.route));
    }
    loadLoggedReads(b, runDir, std::move(run.cameras), run.reads);
    return b.finish();
}

void returnRoutes(AnalysisData& data, std::vector<TripRecord>& trips) {
    if (data.trips.size() != trips.size()) throw std::logic_error("returnRoutes: not the trips the data was loaded with");
    for (size_t i = 0; i < trips.size(); ++i) trips[i].plan.route = std::move(data.trips[i].route);
}

}  // namespace alprsim
