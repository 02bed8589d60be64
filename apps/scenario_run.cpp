#include "apps/scenario_run.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "analysis/reconstructibility.h"
#include "analysis/trip_coverage.h"
#include "analysis/trip_table.h"
#include "core/error.h"
#include "core/files.h"
#include "core/progress.h"
#include "recognition/recognizer.h"
#include "sensors/sensor_array.h"
#include "sim/net_import.h"
#include "sim/demand.h"
#include "sim/demand_realism.h"
#include "sim/net_file.h"
#include "sim/road_network_io.h"
#include "sim/simulation.h"
#include "sim/towns.h"
#include "sim/trip_log.h"
#include "store/read_store.h"
#include "store/store_network.h"
#include "core/rng.h"

namespace alprsim {

namespace {

constexpr size_t kReadBatch = 20'000;  // reads buffered per store transaction

SimulationConfig simulationConfig(const Scenario& s, const fs::path& net, const fs::path& outDir) {
    SimulationConfig c;
    c.network = net;
    c.logFile = outDir / "sumo.log";
    c.beginSeconds = s.beginSeconds;
    c.stepLength = s.stepLength;
    c.seed = s.seed;
    c.model = s.mesoscopic ? TrafficModel::Mesoscopic : TrafficModel::Microscopic;
    return c;
}

std::vector<CameraRecord> cameraRecords(const std::vector<Camera>& cameras) {
    std::vector<CameraRecord> records;
    for (const Camera& c : cameras) records.push_back({c.id, c.agency, c.edge, c.position, c.where});
    return records;
}

// The sensing stage's photographic conditions, field for field, in recognition's type.
recognition::CaptureConditions toCaptureConditions(const PhotoConditions& p) {
    recognition::CaptureConditions c;
    c.plateWidthPx = p.plateWidthPx;
    c.yawDeg = p.yawDeg;
    c.pitchDeg = p.pitchDeg;
    c.rollDeg = p.rollDeg;
    c.motionBlurPx = p.motionBlurPx;
    c.defocusSigma = p.defocusSigma;
    c.noiseSigma = p.noiseSigma;
    c.light = p.light == CaptureLight::Day    ? recognition::Light::Day
              : p.light == CaptureLight::Dusk ? recognition::Light::Dusk
                                              : recognition::Light::NightIR;
    c.rain = p.rain;
    c.glare = p.glare;
    c.dirt = p.dirt;
    c.occlusion = p.occlusion;
    c.jpegQuality = p.jpegQuality;
    return c;
}

// How the captures fared in recognition.
struct RecognitionCounts {
    size_t correct = 0, misread = 0, noRead = 0;
};

// Turns captures into reads: each capture's plate goes through the scenario's recognition
// mode (perfect: the true plate; calibrated: the fitted error model; full: rendered and read),
// seeded per capture so that results do not depend on the order of anything else.
class ReadRecorder {
public:
    ReadRecorder(ReadStore& store, StoreNetwork* agencies, const std::vector<Camera>& cameras, const TripLog& log,
                 const recognition::Recognizer& recognizer, uint64_t seed)
        : store_(store), agencies_(agencies), cameras_(cameras), log_(log), recognizer_(recognizer), seed_(seed) {}

    void record(const std::vector<Capture>& passes) {
        for (const Capture& p : passes) {
            const TripRecord* trip = log_.find(p.trip);
            if (!trip) continue;  // not one of ours (cannot happen: we add every vehicle)
            const Camera& cam = cameras_[p.camera];
            const uint64_t captureSeed =
                fnv1a64(p.trip + "@" + cam.id + "@" + std::to_string(static_cast<int64_t>(p.time * 1000)), seed_);
            const recognition::PlateRead r =
                recognizer_.recognize(trip->plan.plate, toCaptureConditions(p.photo), captureSeed);
            if (r.noRead) {
                ++counts_.noRead;
                continue;
            }
            ++(r.text == trip->plan.plate ? counts_.correct : counts_.misread);
            reads_.push_back(Read{r.text, p.time, cam.id, p.where, r.confidence});  // a patrol car reads where it is
            truth_.push_back(ReadTruth{trip->plan.vehicle, trip->plan.plate});
        }
        if (reads_.size() >= kReadBatch) flush();
    }
    void flush() {
        store_.insert(reads_, truth_);
        if (agencies_) alerts_ += agencies_->record(reads_, truth_);
        total_ += reads_.size();
        reads_.clear();
        truth_.clear();
    }
    size_t total() const { return total_ + reads_.size(); }
    const RecognitionCounts& counts() const { return counts_; }

private:
    ReadStore& store_;
    StoreNetwork* agencies_;  // the scenario's per-agency stores, if it has any
    int64_t alerts_ = 0;
    const std::vector<Camera>& cameras_;
    const TripLog& log_;
    const recognition::Recognizer& recognizer_;
    uint64_t seed_;
    RecognitionCounts counts_;
    std::vector<Read> reads_;
    std::vector<ReadTruth> truth_;
    size_t total_ = 0;
};

// The scenario's per-agency stores (RUN_DIR/stores), with the hot list drawn from every car
// the run will see. Plates flagged are drawn by seed, so a rerun flags the same cars.
std::optional<StoreNetwork> openAgencyStores(const Scenario& s, const fs::path& dir, const std::vector<Camera>& cameras,
                                             const TripLog& log) {
    if (!s.stores) return std::nullopt;
    std::map<std::string, std::string> fleet;  // vehicle -> plate, sorted
    for (const TripRecord& t : log.trips()) fleet.emplace(t.plan.vehicle, t.plan.plate);
    std::vector<Registration> registrations;
    for (const auto& [vehicle, plate] : fleet) registrations.push_back({vehicle, plate});
    const HotList hotList = HotList::draw(s.stores->hotList, registrations, Rng::stream(s.seed, "hot-list"));
    return StoreNetwork::create(dir / "stores", *s.stores, cameraRecords(cameras), hotList);
}

nlohmann::json hotListJson(const HotListReport& r) {
    size_t found = 0;
    for (const auto& d : r.detections) found += d.firstTrueAlert.has_value();
    return {{"reads_recorded", r.readsRecorded}, {"alerts", r.alerts}, {"true_alerts", r.trueAlerts},
            {"false_alerts", r.falseAlerts}, {"hit_share", r.hitShare()}, {"false_alert_share", r.falseAlertShare()},
            {"flagged_vehicles", r.detections.size()}, {"flagged_vehicles_found", found},
            {"maryland_hit_share", HotListReport::kMarylandHitShare}};
}

// Adds a day's planned trips to the simulation and to the ground-truth log.
void scheduleDay(uint32_t day, TripPlanner& planner, Simulation& sim, TripLog& log, std::vector<TripPlan>* keep) {
    std::vector<TripPlan> plans = planner.planDay(day, sim);
    for (const TripPlan& p : plans) sim.addVehicle(p.trip, p.route, p.plannedDepart);
    log.add(plans);
    if (keep) *keep = std::move(plans);
}

// Steps the simulation to the scenario's end, or until every trip has arrived. Each later
// day's trips are planned and loaded an hour before that day begins, so SUMO never holds
// more than about a day of demand.
size_t simulate(const Scenario& s, Simulation& sim, TripPlanner& planner, TripLog& log, SensorArray& sensor,
                ReadRecorder& recorder) {
    Progress progress("simulating", static_cast<uint64_t>(s.endSeconds - s.beginSeconds));
    size_t steps = 0;
    uint32_t nextDay = planner.firstDay() + 1;
    while (sim.time() < s.endSeconds - 1e-9) {
        if (interruptRequested()) throw Interrupted();
        if (nextDay <= planner.lastDay() && sim.time() >= nextDay * 86400.0 - 3600.0)
            scheduleDay(nextDay++, planner, sim, log, nullptr);
        sim.step();
        ++steps;
        log.record(sim);
        recorder.record(sensor.observe(sim));
        if (nextDay > planner.lastDay() && sim.vehiclesRemaining() == 0) break;
        progress.update(static_cast<uint64_t>(sim.time() - s.beginSeconds),
                        std::to_string(log.departedCount()) + " departed, " + std::to_string(recorder.total()) + " reads");
    }
    recorder.record(sensor.finish(sim));
    recorder.flush();
    return steps;
}

nlohmann::json networkSummary(const Scenario& s, const RoadNetwork& roads) {
    std::map<std::string, size_t> byTown;
    for (const RoadEdge& e : roads.edges()) ++byTown[e.town.empty() ? "(outside any town)" : e.town];
    return {{"osm", s.osmFile.filename().string()},
            {"edges", roads.edges().size()},
            {"length_km", std::round(roads.totalLengthMetres() / 10.0) / 100.0},
            {"edges_by_town", byTown}};
}

nlohmann::json tripCounts(const std::vector<TripRecord>& trips) {
    size_t departed = 0, completed = 0, teleported = 0;
    for (const TripRecord& t : trips) {
        departed += t.depart >= 0;
        completed += t.completed();
        teleported += t.teleported;
    }
    return {{"trips_planned", trips.size()}, {"trips_departed", departed}, {"trips_completed", completed},
            {"trips_teleported", teleported}};
}

}  // namespace

nlohmann::json runScenario(const Scenario& s, const RunOptions& options) {
    StagedDirectory out(options.outDir, options.replaceExisting);

    spdlog::info("network: converting or reusing {}", s.osmFile.string());
    const fs::path net = cachedNetwork(s.osmFile);
    Simulation sim(simulationConfig(s, net, out.path()));
    RoadNetwork roads = sim.roadNetwork();
    applyNetFileAttributes(roads, readNetFileAttributes(net));
    const TownMap towns = TownMap::load(s.townsFile);
    attributeTowns(roads, towns);

    spdlog::info("demand: planning day {}", s.beginSeconds / 86400);
    TripPlanner planner(s.demand, roads, towns, s.seed, s.beginSeconds, s.endSeconds);
    TripLog log;
    std::vector<TripPlan> firstDay;
    scheduleDay(planner.firstDay(), planner, sim, log, &firstDay);

    SensorArray sensor = SensorArray::deploy(s.cameras, firstDay, roads, sim);
    size_t steps = 0, unattributed = 0, reads = 0;
    std::vector<size_t> readsPerTrip;
    RecognitionCounts recognized;
    nlohmann::json hotList;
    const recognition::Recognizer recognizer = recognition::Recognizer::create(s.recognitionMode);
    {
        ReadStore store = ReadStore::create(out.path() / "reads.sqlite");
        store.addCameras(cameraRecords(sensor.cameras()));
        std::optional<StoreNetwork> agencies = openAgencyStores(s, out.path(), sensor.cameras(), log);
        ReadRecorder recorder(store, agencies ? &*agencies : nullptr, sensor.cameras(), log, recognizer, s.seed);
        spdlog::info("simulating {} to {} s", s.beginSeconds, s.endSeconds);
        steps = simulate(s, sim, planner, log, sensor, recorder);
        reads = recorder.total();
        recognized = recorder.counts();
        readsPerTrip = countReadsPerTrip(log.trips(), store, &unattributed);
        if (agencies) {
            agencies->purge(sim.time());
            agencies->checkpoint();
            hotList = hotListJson(agencies->hotListReport());
        }
    }  // the store is closed here: a single self-contained file, no -wal or -shm beside it
    const CoverageMetrics coverage = summarizeCoverage(log.trips(), readsPerTrip, unattributed);

    nlohmann::json counts = tripCounts(log.trips());
    counts["vehicles"] = planner.population() ? planner.population()->vehicles().size() : firstDay.size();
    counts["cameras"] = sensor.cameras().size();
    counts["reads"] = reads;
    counts["trips_unroutable"] = planner.unroutableTrips();
    counts["reads_correct"] = recognized.correct;
    counts["reads_misread"] = recognized.misread;
    counts["captures_not_read"] = recognized.noRead;
    nlohmann::json results = {
        {"alprsim_version", "0.1.0"},
        {"scenario_file", s.file.filename().string()},
        {"scenario", s.source},
        {"seed", s.seed},
        {"network", networkSummary(s, roads)},
        {"simulated", {{"begin_s", s.beginSeconds}, {"end_s", sim.time()}, {"steps", steps},
                       {"days", planner.lastDay() - planner.firstDay() + 1},
                       {"model", s.mesoscopic ? "mesoscopic" : "microscopic"},
                       {"recognition", std::string(recognition::toString(s.recognitionMode))}}},
        {"counts", counts},
        {"demand", demandRealism(log.trips(), planner)},
        {"metrics", {{"trip_coverage", coverage.toJson()}}},
        {"sensing", sensor.summary()},
        {"hot_list", hotList},
    };
    writeFileAtomically(out.path() / "roads.json", roadNetworkToJson(roads).dump() + "\n");
    writeFileAtomically(out.path() / "vehicles.csv", planner.vehiclesCsv(firstDay));
    writeFileAtomically(out.path() / "trips.csv", tripsCsv(log.trips(), readsPerTrip));
    const AnalysisOutput analysis = analyzeRunDirectory(out.path(), AnalysisConfig{});  // as `alprsim analyze` does
    results["metrics"]["reconstructibility"] = analysis.reconstructibility;
    writeAnalysisFiles(out.path(), analysis);
    writeFileAtomically(out.path() / "cameras.geojson", sensor.geoJson().dump(1) + "\n");
    writeFileAtomically(out.path() / "cameras.add.xml", sensor.sumoAdditional());
    // results.json last: its presence marks a complete run (and the rename below makes it visible).
    writeFileAtomically(out.path() / "results.json", results.dump(2) + "\n");
    out.commit();
    return results;
}

std::string plainSummary(const nlohmann::json& r, const fs::path& outDir) {
    const auto& c = r.at("counts");
    const auto& m = r.at("metrics").at("trip_coverage");
    const double hours = (r.at("simulated").at("end_s").get<double>() - r.at("simulated").at("begin_s").get<double>()) / 3600;
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "%s: %zu vehicles made %zu trips over %.1f simulated hours on %zu road edges.\n"
                  "%zu cameras recorded %zu plate reads.\n"
                  "%.1f%% of trips were read at least once; %.1f%% at least twice (direction and time of travel known).\n"
                  "Results: %s (results.json, trips.csv, reads.sqlite, cameras.geojson)\n",
                  r.at("scenario").at("name").get<std::string>().c_str(), c.at("vehicles").get<size_t>(),
                  c.at("trips_departed").get<size_t>(), hours, r.at("network").at("edges").get<size_t>(),
                  c.at("cameras").get<size_t>(), c.at("reads").get<size_t>(), 100 * m.at("share_observed").get<double>(),
                  100 * m.at("share_linked").get<double>(), outDir.string().c_str());
    return buf;
}

}  // namespace alprsim
