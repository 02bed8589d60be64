#include "pipeline/scenario_run.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "alprsim_version.h"
#include "analysis/field_record.h"
#include "analysis/reconstructibility.h"
#include "analysis/trip_coverage.h"
#include "analysis/trip_table.h"
#include "core/error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/rng.h"
#include "pipeline/day_parts.h"
#include "pipeline/simulation_stage.h"
#include "pipeline/world.h"
#include "run_folder/run_folder.h"
#include "sim/demand_realism.h"
#include "sim/population.h"
#include "sim/road_network_io.h"

namespace alprsim {

namespace fs = std::filesystem;

namespace {

// The scenario's per-agency stores (RUN_DIR/stores), with the hot list drawn from every car
// the run will see. Plates flagged are drawn by seed, so a rerun flags the same cars.
std::optional<StoreNetwork> openAgencyStores(const Scenario& s, const fs::path& dir, const std::vector<Camera>& cameras,
                                             const TripLog& log, const TripPlanner& planner) {
    if (!s.stores) return std::nullopt;
    std::map<std::string, std::string> fleet;  // vehicle -> plate, sorted
    for (const TripRecord& t : log.trips()) fleet.emplace(t.plan.vehicle, t.plan.plate);
    // Issuing states: a population's cars have theirs; random trips' cars are Massachusetts'
    // (as vehicles.csv says).
    std::unordered_map<std::string, std::string> stateOf;
    if (planner.population())
        for (const PopulationVehicle& v : planner.population()->vehicles()) stateOf.emplace(v.id, v.state);
    std::vector<Registration> registrations;
    for (const auto& [vehicle, plate] : fleet) {
        const auto state = stateOf.find(vehicle);
        registrations.push_back({vehicle, plate, state == stateOf.end() ? "MA" : state->second});
    }
    const HotList hotList = HotList::draw(s.stores->hotList, registrations, Rng::stream(s.seed, "hot-list"));
    return StoreNetwork::create(RunFolder(dir).stores(), *s.stores, cameraRecords(cameras), hotList);
}

HotListResults hotListResults(const HotListReport& r, const HotListSpec& spec) {
    HotListResults h;
    h.flaggedVehiclesFound = 0;
    for (const auto& d : r.detections) *h.flaggedVehiclesFound += d.firstTrueAlert.has_value();
    for (const auto& [cause, n] : r.falseAlertsByCause) {
        h.falseAlertsByCause[cause] = n;
        h.falseAlertShareByCause[cause] = r.alerts == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(r.alerts);
    }
    // The causes' parameters as the run used them (sources: docs/hot-lists-and-field-record.md).
    h.falseAlertCauses = {{"same_characters_elsewhere", spec.sameCharactersElsewhere},
                          {"states_read_share", spec.statesReadShare},
                          {"cleared_per_day", spec.clearedPerDay},
                          {"refresh_hours", std::isinf(spec.refreshSeconds) ? nlohmann::json(nullptr)
                                                                            : nlohmann::json(spec.refreshSeconds / 3600.0)}};
    h.readsRecorded = r.readsRecorded;
    h.alerts = r.alerts;
    h.trueAlerts = r.trueAlerts;
    h.falseAlerts = r.falseAlerts;
    h.hitShare = r.hitShare();
    h.falseAlertShare = r.falseAlertShare();
    h.entriesOutsideSimulation = r.entriesOutside;
    h.flaggedVehicles = r.detections.size();
    h.marylandHitShare = HotListReport::kMarylandHitShare;
    return h;
}

NetworkResults networkSummary(const Scenario& s, const RoadNetwork& roads) {
    NetworkResults n;
    for (const RoadEdge& e : roads.edges()) ++n.edgesByTown[e.town.empty() ? "(outside any town)" : e.town];
    n.osm = s.osmFile.filename().string();
    for (const TownExtract& t : s.region) {
        n.osm += (n.osm.empty() ? "" : ", ") + t.osm.filename().string();
        n.region.push_back(t.town + ": " + t.osm.filename().string());
    }
    n.edges = roads.edges().size();
    n.lengthKm = std::round(roads.totalLengthMetres() / 10.0) / 100.0;
    return n;
}

void countTrips(const std::vector<TripRecord>& trips, RunCounts& counts) {
    size_t departed = 0, completed = 0, teleported = 0, rerouted = 0;
    for (const TripRecord& t : trips) {
        departed += t.depart >= 0;
        completed += t.completed();
        teleported += t.teleported;
        rerouted += t.rerouted;
    }
    counts.tripsPlanned = trips.size();
    counts.tripsDeparted = departed;
    counts.tripsCompleted = completed;
    counts.tripsTeleported = teleported;
    counts.tripsRerouted = rerouted;
}

// What the simulation stage leaves in the stores, and the counts the results need from it.
struct StoredReads {
    SimulationOutcome simulated;
    size_t reads = 0, unattributed = 0;
    std::vector<size_t> perTrip;  // reads of each of the log's trips
    std::optional<HotListResults> hotList;
};

// The run's stores while reads go in: reads.sqlite, the scenario's agency stores, and the sink
// that writes them (on another thread); `log`, if given, receives every read too.
struct RunStores {
    RunStores(ReadStore readStore, std::optional<StoreNetwork> agencyStores, ReadLog* log)
        : reads(std::move(readStore)), agencies(std::move(agencyStores)), sink(reads, agencies ? &*agencies : nullptr, log) {}
    ReadStore reads;
    std::optional<StoreNetwork> agencies;
    ReadSink sink;
    std::future<void> copying;  // a read log going into the sink, if any (copyInBackground)

    // Writes every read of `log` into the stores, in the log's order, on another thread while the
    // run goes on (the log must not change until waitUntilWritten). Stops at an interrupt, which
    // would otherwise wait for the whole log to be written.
    void copyInBackground(const ReadLog& log) {
        copying = std::async(std::launch::async, [this, &log] {
            for (const ReadLog::Entry& e : log.entries()) {
                if (interruptRequested()) throw Interrupted();
                sink.add(log.read(e), log.truth(e));
            }
            sink.flush();
        });
    }
    void waitUntilWritten() {
        if (copying.valid()) copying.get();
        sink.flush();
    }
};

// Waits for the stores to be written and closes them: each a single self-contained file, no
// -wal or -shm beside it.
void closeStores(std::optional<RunStores>& stores) {
    if (!stores) return;
    stores->waitUntilWritten();
    stores.reset();
}

// Simulates the scenario (in this process, or a process per day) into the run's stores and its
// read log, which its counts come from; reads.sqlite may still be being written when it returns
// (with a store network, whose purge and hot list need them whole, the stores are complete).
StoredReads simulateIntoStores(const Scenario& s, const RunOptions& options, bool dayProcesses, ScenarioWorld& world,
                               TripLog& log, SensorArray& sensor, const RunFolder& folder, std::optional<RunStores>& stores,
                               ReadLog& readLog, std::future<recognition::Recognizer>& recognizerLoading) {
    StoredReads out;
    TripPlanner& planner = world.planner;
    ReadStore store = ReadStore::create(folder.reads());
    store.addCameras(cameraRecords(sensor.cameras()));
    // The hot list is drawn from the first day's fleet, however the days are run.
    std::optional<StoreNetwork> agencies = openAgencyStores(s, folder.dir(), sensor.cameras(), log, planner);
    if (dayProcesses) {
        spdlog::info("simulating days {} to {} in {} processes at a time{}", planner.firstDay(), planner.lastDay(),
                     options.dayProcesses, options.slurm ? " on Slurm" : "");
        const DayProcesses how{options.executable, options.dayProcesses, options.slurm};
        out.simulated = simulateDaysInProcesses(s, how, folder.dir(), sensor.cameras(), planner, world.sim, log, readLog);
        // The days' reads come merged into the log, in time order; the stores are written from it
        // while the run counts and analyses them (the same batches, so the same files, as reads
        // written as they come).
        stores.emplace(std::move(store), std::move(agencies), nullptr);
        stores->copyInBackground(readLog);
    } else {
        stores.emplace(std::move(store), std::move(agencies), &readLog);
        const recognition::Recognizer recognizer = recognizerLoading.get();
        spdlog::info("simulating {} to {} s", s.beginSeconds, s.endSeconds);
        out.simulated = simulateHere(s, world.sim, planner, planner.firstDay() + 1, planner.lastDay(), log, sensor, recognizer,
                                     stores->sink, options.threads);
    }
    out.reads = readLog.size();
    out.perTrip = countReadsPerTrip(log.trips(), readLog, &out.unattributed);
    if (stores->agencies) {
        stores->waitUntilWritten();
        stores->agencies->purge(out.simulated.endSeconds);
        stores->agencies->checkpoint();
        out.hotList = hotListResults(stores->agencies->hotListReport(), s.stores->hotList);
        // Closed before the analysis reads what they held from their files.
        closeStores(stores);
    }
    return out;
}

// The recognizer made on another thread while the world is built: full mode's networks take
// about 0.15 s to load at a run's start (a cold process), the road network and the first day's
// plans a second or more; a run's wall time is what full mode is held to (issue #27).
std::future<recognition::Recognizer> loadRecognizer(const Scenario& s) {
    return std::async(std::launch::async, [mode = s.recognitionMode] { return recognition::Recognizer::create(mode); });
}

// results.json's figures from the run's world, its trips and its reads (the analysis' metrics
// and the field-record table come after).
RunResults assembleResults(const Scenario& s, unsigned dayProcesses, const ScenarioWorld& world, const TripLog& log,
                           size_t firstDayTrips, size_t cameras, const StoredReads& stored) {
    const TripPlanner& planner = world.planner;
    const SimulationOutcome& simulated = stored.simulated;
    RunResults results;
    results.alprsimVersion = kVersion;
    results.scenarioFile = s.file.filename().string();
    results.scenario = s.source;
    results.seed = s.seed;
    results.network = networkSummary(s, world.roads);
    results.simulated = {.beginSeconds = s.beginSeconds,
                         .endSeconds = simulated.endSeconds,
                         .steps = simulated.steps,
                         .days = planner.lastDay() - planner.firstDay() + 1,
                         .dayProcesses = dayProcesses,
                         .model = s.mesoscopic ? "mesoscopic" : "microscopic",
                         .recognition = std::string(recognition::toString(s.recognitionMode))};
    RunCounts& counts = results.counts;
    countTrips(log.trips(), counts);
    counts.vehicles = planner.population() ? planner.population()->vehicles().size() : firstDayTrips;
    counts.cameras = cameras;
    counts.reads = stored.reads;
    counts.tripsUnroutable = planner.unroutableTrips();
    counts.readsCorrect = simulated.recognized.correct;
    counts.readsMisread = simulated.recognized.misread;
    counts.capturesNotRead = simulated.recognized.noRead;
    results.demand = demandRealism(log.trips(), planner, simulated.endSeconds);
    results.metrics.tripCoverage = summarizeCoverage(log.trips(), stored.perTrip, stored.unattributed).toJson();
    results.sensing = simulated.sensing;
    results.hotList = stored.hotList;
    results.fieldRecord = compareWithFieldRecord(results);  // the run's figures beside the field's
    if (s.agencies) results.agencies = agencyResults(*s.agencies);
    return results;
}

// What the run's reads reconstruct (trips, homes, routines), from what the run holds: its trips,
// whose routes are lent to the analysis and given back, and its read log.
AnalysisOutput analyzeRunInMemory(const RunFolder& folder, const ScenarioWorld& world, const std::string& vehiclesCsv,
                                  std::vector<TripRecord>& trips, const std::vector<Camera>& cameras, ReadLog& readLog) {
    AnalysisData data = loadRunDirectory(folder.dir(), {world.roads, vehiclesCsv, trips, cameraRecords(cameras), readLog});
    AnalysisOutput analysis = analyzeData(data, AnalysisConfig{});
    returnRoutes(data, trips);
    return analysis;
}

// trips.csv: the ground truth, with each trip's reads and what the analysis made of it.
void writeTripsTable(const RunFolder& folder, const ScenarioWorld& world, const std::vector<TripRecord>& trips,
                     const std::vector<size_t>& readsPerTrip, const std::vector<TripOutcome>& outcomes) {
    AtomicFileWriter file(folder.trips());
    writeTripsCsv(file.out(), trips, world.roads, readsPerTrip, &outcomes);
    file.commit();
}

}  // namespace

namespace {

// A day process's cameras: the sites the whole run deployed (RunOptions::dayCameras), or, for a
// day run on its own, those placed from the first day's plans, as in the whole run.
SensorArray deployForDay(const Scenario& s, const RunOptions& options, uint32_t day, TripPlanner& planner, ScenarioWorld& world,
                         const std::vector<TripPlan>& dayPlans) {
    if (!options.dayCameras.empty()) {
        CameraConfig listed = s.cameras;
        listed.placement = CameraPlacement::Listed;
        listed.sites = readDayCameras(options.dayCameras);
        return SensorArray::deploy(listed, {}, world.roads, world.sim);
    }
    const std::vector<TripPlan> firstDay =
        day == planner.firstDay() ? dayPlans : planner.planDay(planner.firstDay(), world.sim.routes());
    return SensorArray::deploy(s.cameras, firstDay, world.roads, world.sim);
}

}  // namespace

DayPartSummary runDayPart(const Scenario& s, const RunOptions& options, uint32_t day) {
    StagedDirectory out(options.outDir, options.replaceExisting);
    const RunFolder folder(out.path());
    std::future<recognition::Recognizer> recognizerLoading = loadRecognizer(s);
    ScenarioWorld world(s, out.path(), std::max(s.beginSeconds, day * 86400.0), options.threads);
    TripPlanner& planner = world.planner;
    if (day < planner.firstDay() || day > planner.lastDay())
        throw InputError(
            s.file.string(), "--only-day " + std::to_string(day),
            "a day of the scenario, " + std::to_string(planner.firstDay()) + " to " + std::to_string(planner.lastDay()));

    TripLog log;
    std::vector<TripPlan> dayPlans;
    scheduleDay(day, planner, world.sim, log, &dayPlans);
    SensorArray sensor = deployForDay(s, options, day, planner, world, dayPlans);
    sensor.setThreads(options.threads);
    sensor.addTrips(dayPlans);
    const recognition::Recognizer recognizer = recognizerLoading.get();
    SimulationOutcome simulated;
    size_t reads = 0;
    {
        ReadStore store = ReadStore::create(folder.reads());
        store.addCameras(cameraRecords(sensor.cameras()));
        ReadSink sink(store, nullptr);
        simulated = simulateHere(s, world.sim, planner, day + 1, day, log, sensor, recognizer, sink, options.threads);
        sink.flush();
        reads = sink.total();
    }
    const RecognitionCounts& recognized = simulated.recognized;
    const DayPartCounts counts{reads,           recognized.correct,  recognized.misread, recognized.noRead,
                               simulated.steps, simulated.endSeconds};
    writeDayPart(out.path(), day, log.trips(), counts, simulated.sensing, planner.network());
    removeUncachedNetwork(out.path());
    out.commit();
    return {day, log.trips().size(), counts.reads};
}

RunResults runScenario(const Scenario& s, const RunOptions& options) {
    StagedDirectory out(options.outDir, options.replaceExisting);
    const RunFolder folder(out.path());
    std::future<recognition::Recognizer> recognizerLoading = loadRecognizer(s);
    ScenarioWorld world(s, out.path(), s.beginSeconds, options.threads);
    TripPlanner& planner = world.planner;

    spdlog::info("demand: planning day {}", s.beginSeconds / 86400);
    const bool manyDays = planner.lastDay() > planner.firstDay();
    if (options.slurm && !manyDays)
        throw InputError(s.file.string(), "/time",
                         "more than one day for --backend slurm (it runs each day as a Slurm array task; this scenario "
                         "has one: run it without --backend)");
    const bool dayProcesses = manyDays && options.dayProcesses > 1;
    TripLog log;
    std::vector<TripPlan> firstDay;
    if (dayProcesses) {
        firstDay = planner.planDay(planner.firstDay(), world.sim.routes());  // planned here, simulated by a day process
        log.add(firstDay);
    } else {
        scheduleDay(planner.firstDay(), planner, world.sim, log, &firstDay);
    }

    SensorArray sensor = SensorArray::deploy(s.cameras, firstDay, world.roads, world.sim);
    sensor.setThreads(options.threads);
    if (!dayProcesses) sensor.addTrips(firstDay);
    // reads.sqlite goes on being written while the run analyses itself (from its read log).
    ReadLog readLog;
    std::optional<RunStores> stores;
    StoredReads stored =
        simulateIntoStores(s, options, dayProcesses, world, log, sensor, folder, stores, readLog, recognizerLoading);
    RunResults results =
        assembleResults(s, dayProcesses ? options.dayProcesses : 1, world, log, firstDay.size(), sensor.cameras().size(), stored);
    const std::string vehiclesCsv = planner.vehiclesCsv(firstDay);
    writeFileAtomically(folder.roads(), roadNetworkToJson(world.roads).dump() + "\n");
    writeFileAtomically(folder.vehicles(), vehiclesCsv);
    // cameras.geojson before the analysis: it says which cameras are mobile (their reads are
    // placed where they were made).
    writeFileAtomically(folder.cameras(), sensor.geoJson().dump(1) + "\n");
    spdlog::info("analysis: what the reads reconstruct (trips, homes, routines)");
    std::vector<TripRecord> trips = log.takeTrips();
    const AnalysisOutput analysis = analyzeRunInMemory(folder, world, vehiclesCsv, trips, sensor.cameras(), readLog);
    results.metrics.reconstructibility = analysis.reconstructibility;
    writeTripsTable(folder, world, trips, stored.perTrip, analysis.tripOutcomes);
    writeAnalysisFiles(out.path(), analysis);  // example trips (trips.csv has its outcomes already)
    writeFileAtomically(folder.camerasSumo(), sensor.sumoAdditional());
    removeUncachedNetwork(out.path());
    closeStores(stores);
    // results.json last: its presence marks a complete run (and the rename below makes it visible).
    writeFileAtomically(folder.results(), nlohmann::json(results).dump(2) + "\n");
    out.commit();
    return results;
}

}  // namespace alprsim
