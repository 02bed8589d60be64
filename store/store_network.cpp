#include "store/store_network.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/error.h"
#include "core/json_reader.h"
#include "core/files.h"

namespace alprsim {

namespace {
constexpr const char* kNetworkFile = "network.json";
constexpr const char* kNetworkFormat = "alprsim-store-network";
constexpr const char* kStateFile = "state.sqlite";

// "North Attleborough" -> "agency-north-attleborough.sqlite"
std::string agencyFileName(const std::string& agency) {
    const std::string slug = nameSlug(agency);
    if (slug.empty()) throw std::invalid_argument("agency name without letters or digits: '" + agency + "'");
    return "agency-" + slug + ".sqlite";
}

// One store's share of a batch of reads.
struct Batch {
    std::vector<Read> reads;
    std::vector<ReadTruth> truth;
    std::vector<bool> hits;
    std::vector<Alert> alerts;
    std::vector<AlertTruth> alertTruth;

    void add(const Read& r, const ReadTruth& t, bool hit) {
        reads.push_back(r);
        truth.push_back(t);
        hits.push_back(hit);
    }
    void writeTo(ReadStore& store) const {
        if (!reads.empty()) store.insert(reads, truth, hits);
        if (!alerts.empty()) store.addAlerts(alerts, alertTruth);
    }
};
}  // namespace

StoreSettings StoreSettings::fromJson(const nlohmann::json& j, const std::string& file, const std::string& path) {
    JsonObjectReader obj(j, file, path);
    StoreSettings s;
    if (obj.has("sharing")) s.sharing = SharingPolicy::fromJson(j.at("sharing"), file, path + "/sharing");
    if (obj.has("retention")) s.retention = RetentionPolicy::fromJson(j.at("retention"), file, path + "/retention");
    s.stateRetention = obj.has("state_retention")
                           ? RetentionPolicy::fromJson(j.at("state_retention"), file, path + "/state_retention")
                           : s.retention;
    if (obj.has("retention_by_agency")) {
        const nlohmann::json& byAgency = j.at("retention_by_agency");
        if (!byAgency.is_object())
            throw InputError(file, path + "/retention_by_agency", "an object of agency names and retention policies");
        for (const auto& [agency, policy] : byAgency.items())
            s.retentionByAgency[agency] = RetentionPolicy::fromJson(policy, file, path + "/retention_by_agency/" + agency);
    }
    if (obj.has("hot_list")) s.hotList = HotListSpec::fromJson(j.at("hot_list"), file, path + "/hot_list");
    obj.finish();
    return s;
}

double HotListReport::hitShare() const {
    return readsRecorded == 0 ? 0.0 : static_cast<double>(alerts) / static_cast<double>(readsRecorded);
}

double HotListReport::falseAlertShare() const {
    return alerts == 0 ? 0.0 : static_cast<double>(falseAlerts) / static_cast<double>(alerts);
}

StoreNetwork::StoreNetwork(SharingPolicy sharing, HotList hotList, std::map<std::string, ReadStore> agencyStores,
                           ReadStore stateStore)
    : sharing_(std::move(sharing)),
      hotList_(std::move(hotList)),
      agencyStores_(std::move(agencyStores)),
      stateStore_(std::move(stateStore)) {
    // A store also lists the cameras whose reads neighbours send it by agreement: a camera
    // belongs to the agency its record names, not to every store that lists it.
    for (auto& [agency, store] : agencyStores_)
        for (const CameraRecord& c : store.cameras())
            if (c.agency == agency) cameraAgency_[c.id] = agency;
}

StoreNetwork StoreNetwork::create(const std::filesystem::path& dir, const StoreSettings& settings,
                                  const std::vector<CameraRecord>& cameras, const HotList& hotList) {
    std::map<std::string, std::vector<CameraRecord>> camerasByAgency;
    for (const CameraRecord& c : cameras) {
        if (c.agency.empty()) throw std::invalid_argument("camera " + c.id + " has no agency");
        camerasByAgency[c.agency].push_back(c);
    }
    if (settings.sharing.participants)
        for (const std::string& agency : *settings.sharing.participants) camerasByAgency[agency];
    // A store receiving reads by agreement knows the cameras they come from.
    std::map<std::string, std::vector<CameraRecord>> camerasShared;
    for (const auto& [agency, partners] : settings.sharing.agreements)
        for (const std::string& partner : partners) {
            const auto own = camerasByAgency.find(agency);
            std::vector<CameraRecord>& shared = camerasShared[partner];
            if (own != camerasByAgency.end()) shared.insert(shared.end(), own->second.begin(), own->second.end());
        }
    for (const auto& [partner, shared] : camerasShared) camerasByAgency[partner];
    for (const auto& [agency, policy] : settings.retentionByAgency)
        if (!camerasByAgency.count(agency))
            throw std::invalid_argument("retention given for agency '" + agency + "', which owns no cameras");
    if (camerasByAgency.count(kStateOwner))
        throw std::invalid_argument(std::string("an agency may not be called '") + kStateOwner + "'");

    std::filesystem::create_directories(dir);
    nlohmann::json files = nlohmann::json::object();
    std::set<std::string> fileNames;
    std::map<std::string, ReadStore> agencyStores;
    std::vector<CameraRecord> stateCameras;
    for (const auto& [agency, own] : camerasByAgency) {
        const std::string fileName = agencyFileName(agency);
        if (!fileNames.insert(fileName).second)
            throw std::invalid_argument("two agencies map to the same store file " + fileName);
        ReadStore store = ReadStore::create(dir / fileName);
        store.setOwner(agency);
        const auto override = settings.retentionByAgency.find(agency);
        store.setRetention(override != settings.retentionByAgency.end() ? override->second : settings.retention);
        store.addCameras(own);
        if (const auto shared = camerasShared.find(agency); shared != camerasShared.end()) store.addCameras(shared->second);
        agencyStores.emplace(agency, std::move(store));
        files[agency] = fileName;
        if (settings.sharing.participates(agency)) stateCameras.insert(stateCameras.end(), own.begin(), own.end());
    }
    ReadStore state = ReadStore::create(dir / kStateFile);
    state.setOwner(kStateOwner);
    state.setRetention(settings.stateRetention);
    state.addCameras(stateCameras);
    state.saveHotList(hotList);
    const nlohmann::json network{{"format", kNetworkFormat},
                                 {"sharing", settings.sharing.toJson()},
                                 {"agency_stores", files},
                                 {"state_store", kStateFile}};
    writeFileAtomically(dir / kNetworkFile, network.dump(2) + "\n");
    return StoreNetwork(settings.sharing, hotList, std::move(agencyStores), std::move(state));
}

StoreNetwork StoreNetwork::open(const std::filesystem::path& dir) {
    const std::filesystem::path networkFile = dir / kNetworkFile;
    nlohmann::json network;
    try {
        network = nlohmann::json::parse(readTextFile(networkFile));
    } catch (const nlohmann::json::exception&) {
        throw InputError(networkFile.string(), "", "the JSON an alprsim run writes beside its read stores");
    }
    if (!network.is_object() || network.value("format", "") != kNetworkFormat)
        throw InputError(networkFile.string(), "/format", std::string("\"") + kNetworkFormat + "\"");
    SharingPolicy sharing = SharingPolicy::fromJson(network.at("sharing"), networkFile.string(), "/sharing");
    std::map<std::string, ReadStore> agencyStores;
    for (const auto& [agency, fileName] : network.at("agency_stores").items()) {
        if (!fileName.is_string()) throw InputError(networkFile.string(), "/agency_stores/" + agency, "a file name");
        agencyStores.emplace(agency, ReadStore::open(dir / fileName.get<std::string>()));
    }
    ReadStore state = ReadStore::open(dir / kStateFile);
    HotList hotList = state.loadHotList();
    return StoreNetwork(std::move(sharing), std::move(hotList), std::move(agencyStores), std::move(state));
}

namespace {
const std::string kStateNotRead;

// Why an alert is false ("" when it is true): the characters were misread, another car carries
// the listed characters (another state's plate, or a clone), or the flag no longer stood.
std::string falseAlertCause(const FlaggedVehicle& flagged, const Read& read, const ReadTruth& truth) {
    if (read.plate != truth.truePlate) return HotListReport::kMisread;
    if (truth.vehicle != flagged.vehicle) return HotListReport::kSameCharacters;
    if (read.time >= flagged.clearedAt) return HotListReport::kStale;
    return "";
}
}  // namespace

int64_t StoreNetwork::record(const std::vector<Read>& reads, const std::vector<ReadTruth>& truth) {
    if (reads.size() != truth.size()) throw std::logic_error("StoreNetwork::record: reads and truth differ in length");
    std::map<std::string, Batch> byAgency;
    Batch toState;
    int64_t alerts = 0;
    for (size_t i = 0; i < reads.size(); ++i) {
        const Read& read = reads[i];
        const auto owner = cameraAgency_.find(read.camera);
        if (owner == cameraAgency_.end()) throw std::logic_error("read from unknown camera " + read.camera);
        const std::string& agency = owner->second;
        // A reader that reads the issuing state reads the car's real one (its registration).
        const std::string& seenState =
            hotList_.readsState(read.camera, read.time, read.plate) ? hotList_.registeredState(truth[i].vehicle) : kStateNotRead;
        const FlaggedVehicle* flagged = hotList_.match(read.plate, read.time, seenState);
        Batch& batch = byAgency[agency];
        batch.add(read, truth[i], flagged != nullptr);
        if (flagged) {
            const std::string cause = falseAlertCause(*flagged, read, truth[i]);
            batch.alerts.push_back({read.time, read.camera, read.plate, flagged->plate, flagged->reason});
            batch.alertTruth.push_back({flagged->vehicle, truth[i].vehicle, cause.empty(), cause});
            ++alerts;
        }
        if (sharing_.sendsToState(agency, flagged != nullptr)) toState.add(read, truth[i], flagged != nullptr);
        for (const std::string& partner : sharing_.sharesWith(agency)) byAgency[partner].add(read, truth[i], flagged != nullptr);
    }
    for (const auto& [agency, batch] : byAgency) batch.writeTo(agencyStores_.at(agency));
    toState.writeTo(stateStore_);
    return alerts;
}

int64_t StoreNetwork::purge(double now) {
    int64_t deleted = stateStore_.purge(now);
    for (auto& [agency, store] : agencyStores_) deleted += store.purge(now);
    return deleted;
}

void StoreNetwork::checkpoint() {
    stateStore_.checkpoint();
    for (auto& [agency, store] : agencyStores_) store.checkpoint();
}

std::vector<std::string> StoreNetwork::agencies() const {
    std::vector<std::string> out;
    for (const auto& [agency, store] : agencyStores_) out.push_back(agency);
    return out;
}

ReadStore& StoreNetwork::agencyStore(const std::string& agency) {
    const auto it = agencyStores_.find(agency);
    if (it == agencyStores_.end()) throw std::out_of_range("no read store for agency '" + agency + "'");
    return it->second;
}

HotListReport StoreNetwork::hotListReport() const {
    HotListReport report;
    std::map<std::string, double> firstTrueAlert;  // by flagged plate
    for (const auto& [agency, store] : agencyStores_) {
        report.readsRecorded += store.readsRecorded();
        store.forEachAlertWithTruth([&](const Alert& alert, const AlertTruth& truth) {
            ++report.alerts;
            if (!truth.correct) {
                ++report.falseAlerts;
                ++report.falseAlertsByCause[truth.cause];
                return;
            }
            ++report.trueAlerts;
            const auto [it, inserted] = firstTrueAlert.emplace(alert.flaggedPlate, alert.time);
            if (!inserted) it->second = std::min(it->second, alert.time);
        });
    }
    for (const FlaggedVehicle& f : hotList_.entries()) {
        if (f.vehicle.empty()) {  // listed for a car outside the simulation: nothing to find
            ++report.entriesOutside;
            continue;
        }
        HotListReport::Detection d{f, std::nullopt};
        const auto found = firstTrueAlert.find(f.plate);
        if (found != firstTrueAlert.end()) d.firstTrueAlert = found->second - hotList_.listedAt();
        report.detections.push_back(std::move(d));
    }
    return report;
}

}  // namespace alprsim
