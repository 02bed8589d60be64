#include "apps/scenario_run.h"

#include "apps/day_parts.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <utility>

#include "analysis/field_record.h"
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
#include "sim/population.h"
#include "sim/net_file.h"
#include "sim/road_network_io.h"
#include "sim/simulation.h"
#include "sim/towns.h"
#include "sim/trip_log.h"
#include "store/read_store.h"
#include "store/store_network.h"
#include "sweep/local_backend.h"
#include "core/rng.h"

namespace alprsim {

namespace {

constexpr size_t kReadBatch = 20'000;  // reads buffered per store transaction
constexpr size_t kRecognitionBatch = 64;  // captures read together (ReadRecorder)

SimulationConfig simulationConfig(const Scenario& s, const fs::path& net, const fs::path& outDir) {
    SimulationConfig c;
    c.network = net;
    c.logFile = outDir / "sumo.log";
    c.beginSeconds = s.beginSeconds;
    c.stepLength = s.stepLength;
    c.timeToTeleport = s.timeToTeleport;
    c.timeToImpatience = s.timeToImpatience;
    c.ignoreJunctionBlocker = s.ignoreJunctionBlocker;
    c.reroutePeriod = s.reroutePeriod;
    c.seed = s.seed;
    c.model = s.mesoscopic ? TrafficModel::Mesoscopic : TrafficModel::Microscopic;
    return c;
}

std::vector<CameraRecord> cameraRecords(const std::vector<Camera>& cameras) {
    std::vector<CameraRecord> records;
    for (const Camera& c : cameras) records.push_back({c.id, c.agency, c.edge, c.position, c.where});
    return records;
}

// How the captures fared in recognition.
struct RecognitionCounts {
    size_t correct = 0, misread = 0, noRead = 0;
};

// Where reads go: reads.sqlite (every read, with its truth) and the scenario's agency stores,
// in transactions of kReadBatch reads.
class ReadSink {
public:
    ReadSink(ReadStore& store, StoreNetwork* agencies) : store_(store), agencies_(agencies) {}

    void add(Read read, ReadTruth truth) {
        reads_.push_back(std::move(read));
        truth_.push_back(std::move(truth));
        if (reads_.size() >= kReadBatch) flush();
    }
    void flush() {
        store_.insert(reads_, truth_);
        if (agencies_) agencies_->record(reads_, truth_);
        total_ += reads_.size();
        reads_.clear();
        truth_.clear();
    }
    size_t total() const { return total_ + reads_.size(); }

private:
    ReadStore& store_;
    StoreNetwork* agencies_;  // the scenario's per-agency stores, if it has any
    std::vector<Read> reads_;
    std::vector<ReadTruth> truth_;
    size_t total_ = 0;
};

// Turns captures into reads: each capture's plate goes through the scenario's recognition
// mode (perfect: the true plate; calibrated: the fitted error model; full: rendered and read),
// seeded per capture so that results do not depend on the order of anything else. Captures
// wait in batches of kRecognitionBatch so that full mode reads a batch on all the run's threads
// (one capture a step would leave the other cores idle); the reads reach the sink in capture
// order, so the stores are the same as read one by one. flush() reads what waits.
class ReadRecorder {
public:
    ReadRecorder(ReadSink& sink, const std::vector<Camera>& cameras, const TripLog& log,
                 const recognition::Recognizer& recognizer, uint64_t seed, unsigned threads)
        : sink_(sink), cameras_(cameras), log_(log), recognizer_(recognizer), seed_(seed), threads_(threads) {}

    void record(const std::vector<Capture>& passes) {
        for (const Capture& p : passes) {
            const TripRecord* trip = log_.find(p.trip);
            if (!trip) continue;  // not one of ours (cannot happen: we add every vehicle)
            const Camera& cam = cameras_[p.camera];
            const uint64_t captureSeed =
                fnv1a64(p.trip + "@" + cam.id + "@" + std::to_string(static_cast<int64_t>(p.time * 1000)), seed_);
            waiting_.push_back({p, trip->plan.vehicle});
            requests_.push_back({trip->plan.plate, p.photo, captureSeed});
        }
        if (requests_.size() >= kRecognitionBatch) flush();
    }
    void flush() {
        const std::vector<recognition::PlateRead> reads = recognizer_.recognizeAll(requests_, threads_);
        for (size_t i = 0; i < reads.size(); ++i) {
            const recognition::PlateRead& r = reads[i];
            const Capture& p = waiting_[i].capture;
            const std::string& plate = requests_[i].truePlate;
            if (r.noRead) {
                ++counts_.noRead;
                continue;
            }
            ++(r.text == plate ? counts_.correct : counts_.misread);
            // a patrol car reads where it is
            sink_.add(Read{r.text, p.time, cameras_[p.camera].id, p.where, r.confidence}, ReadTruth{waiting_[i].vehicle, plate});
        }
        waiting_.clear();
        requests_.clear();
    }
    const RecognitionCounts& counts() const { return counts_; }

private:
    ReadSink& sink_;
    const std::vector<Camera>& cameras_;
    const TripLog& log_;
    const recognition::Recognizer& recognizer_;
    uint64_t seed_;
    unsigned threads_;
    struct Waiting {
        Capture capture;
        std::string vehicle;
    };
    std::vector<Waiting> waiting_;  // captures not read yet, with their requests beside them
    std::vector<recognition::RecognitionRequest> requests_;
    RecognitionCounts counts_;
};

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
    return StoreNetwork::create(dir / "stores", *s.stores, cameraRecords(cameras), hotList);
}

nlohmann::json hotListJson(const HotListReport& r, const HotListSpec& spec) {
    size_t found = 0;
    for (const auto& d : r.detections) found += d.firstTrueAlert.has_value();
    nlohmann::json byCause = nlohmann::json::object(), shareByCause = nlohmann::json::object();
    for (const auto& [cause, n] : r.falseAlertsByCause) {
        byCause[cause] = n;
        shareByCause[cause] = r.alerts == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(r.alerts);
    }
    // The causes' parameters as the run used them (sources: docs/hot-lists-and-field-record.md).
    const nlohmann::json causes = {
        {"same_characters_elsewhere", spec.sameCharactersElsewhere},
        {"states_read_share", spec.statesReadShare},
        {"cleared_per_day", spec.clearedPerDay},
        {"refresh_hours", std::isinf(spec.refreshSeconds) ? nlohmann::json(nullptr) : nlohmann::json(spec.refreshSeconds / 3600.0)}};
    return {{"reads_recorded", r.readsRecorded}, {"alerts", r.alerts}, {"true_alerts", r.trueAlerts},
            {"false_alerts", r.falseAlerts}, {"hit_share", r.hitShare()}, {"false_alert_share", r.falseAlertShare()},
            {"false_alerts_by_cause", byCause}, {"false_alert_share_by_cause", shareByCause},
            {"false_alert_causes", causes}, {"entries_outside_simulation", r.entriesOutside},
            {"flagged_vehicles", r.detections.size()}, {"flagged_vehicles_found", found},
            {"maryland_hit_share", HotListReport::kMarylandHitShare}};
}

// Adds a day's planned trips to the simulation and to the ground-truth log.
void scheduleDay(uint32_t day, TripPlanner& planner, Simulation& sim, TripLog& log, std::vector<TripPlan>* keep) {
    std::vector<TripPlan> plans = planner.planDay(day, sim);
    for (const TripPlan& p : plans) sim.addVehicle(p.trip, planner.network().edgeIds(p.route), p.plannedDepart, RouteChoice::Adaptive);
    log.add(plans);
    if (keep) *keep = std::move(plans);
}

// A network converted into the run's folder because the cache could not be written
// (cachedNetwork) is no output of the run.
void removeUncachedNetwork(const fs::path& dir) {
    std::error_code ec;
    fs::remove(dir / kUncachedNetwork, ec);
}

// "day 2 07:15:00": where the simulation is, for progress lines.
std::string simulatedClock(double seconds) {
    const long s = static_cast<long>(seconds);
    char buf[48];
    std::snprintf(buf, sizeof buf, "day %ld %02ld:%02ld:%02ld", s / 86400, (s % 86400) / 3600, (s % 3600) / 60, s % 60);
    return buf;
}

// Steps the simulation to the scenario's end, or until every trip has arrived. Days nextDay to
// lastDay are planned and loaded an hour before each begins, so SUMO never holds more than
// about a day of demand.
size_t simulate(const Scenario& s, Simulation& sim, TripPlanner& planner, uint32_t nextDay, uint32_t lastDay, TripLog& log,
                SensorArray& sensor, ReadRecorder& recorder, const ReadSink& sink) {
    const double begin = sim.time();
    Progress progress("simulating", static_cast<uint64_t>(s.endSeconds - begin));
    size_t steps = 0;
    while (sim.time() < s.endSeconds - 1e-9) {
        if (interruptRequested()) throw Interrupted();
        if (nextDay <= lastDay && sim.time() >= nextDay * 86400.0 - 3600.0) {
            std::vector<TripPlan> plans;
            scheduleDay(nextDay++, planner, sim, log, &plans);
            sensor.addTrips(plans);  // patrol cars see cars parked where their trips leave them
        }
        sim.step();
        ++steps;
        log.record(sim, planner.network());
        recorder.record(sensor.observe(sim));
        if (nextDay > lastDay && sim.vehiclesRemaining() == 0) break;
        progress.update(static_cast<uint64_t>(sim.time() - begin), simulatedClock(sim.time()) + " simulated, " +
                                                                        std::to_string(log.departedCount()) + " departed, " +
                                                                        std::to_string(sink.total()) + " reads");
    }
    recorder.record(sensor.finish(sim));
    recorder.flush();
    return steps;
}

// What the simulation stage hands on, however it was run.
struct SimulationOutcome {
    size_t steps = 0;
    double endSeconds = 0;
    RecognitionCounts recognized;
    nlohmann::json sensing;
};

// The last lines of a day process's log, for the error message when it failed.
std::string logTail(const fs::path& log) {
    std::ifstream in(log);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string tail;
    for (size_t i = lines.size() > 8 ? lines.size() - 8 : 0; i < lines.size(); ++i) tail += "\n  " + lines[i];
    return tail;
}

// Runs days first..last each in its own `alprsim run --only-day K` process, `options.dayProcesses`
// at a time, then merges them: outcomes into the log, reads into the sink in time order (a day's
// trips may end after midnight, among the next day's first reads).
SimulationOutcome simulateDaysInProcesses(const Scenario& s, const RunOptions& options, const fs::path& dir,
                                          TripPlanner& planner, const Simulation& router, TripLog& log, ReadSink& sink) {
    const uint32_t first = planner.firstDay(), last = planner.lastDay();
    // The ground-truth log needs every day's plans (the merge checks that the day processes
    // planned the same trips). Planning them here while the day processes run, instead of
    // before, keeps it off the critical path: 28 days of a town take minutes to plan.
    std::atomic<bool> abandon{false};
    auto laterDays = std::async(std::launch::async, [&] {
        std::vector<std::vector<TripPlan>> plans;
        for (uint32_t d = first + 1; d <= last && !abandon; ++d) plans.push_back(planner.planDay(d, router));
        return plans;
    });
    // If the days fail or are interrupted, the planning stops after its current day.
    struct Abandon {
        std::atomic<bool>& flag;
        ~Abandon() { flag = true; }
    } abandonOnExit{abandon};
    const fs::path daysDir = dir / "days";
    fs::create_directories(daysDir);
    std::vector<RunTask> tasks;
    for (uint32_t d = first; d <= last; ++d) {
        const std::string id = "day-" + std::to_string(d);
        tasks.push_back(RunTask{id, fs::absolute(s.file), daysDir / id, daysDir / (id + ".log"), {"--only-day", std::to_string(d)}, "part.json"});
    }
    LocalBackend backend(options.executable, options.dayProcesses, "days");
    const std::vector<RunOutcome> outcomes = backend.execute(tasks);
    for (std::vector<TripPlan>& plans : laterDays.get()) log.add(std::exchange(plans, {}));
    for (const RunOutcome& r : outcomes)
        if (!r.finished || r.exitCode != 0)
            throw std::runtime_error("the process simulating " + r.id + " failed (exit " + std::to_string(r.exitCode.value_or(-1)) +
                                     "); the end of its log:" + logTail(r.log));

    SimulationOutcome outcome;
    std::vector<nlohmann::json> sensing;
    std::vector<std::pair<Read, ReadTruth>> carried;  // reads after the end of the day being merged
    for (const RunTask& t : tasks) {
        const DayPart part = readDayPart(t.outDir, log, planner.network());
        outcome.steps += part.counts.steps;
        outcome.endSeconds = std::max(outcome.endSeconds, part.counts.endSeconds);
        outcome.recognized.correct += part.counts.correct;
        outcome.recognized.misread += part.counts.misread;
        outcome.recognized.noRead += part.counts.noRead;
        sensing.push_back(part.sensing);

        const double dayEnd = (part.day + 1) * 86400.0;
        std::vector<std::pair<Read, ReadTruth>> reads = std::move(carried);
        carried.clear();
        ReadStore::open(t.outDir / "reads.sqlite").forEachReadWithTruth([&](const Read& r, const ReadTruth& truth) {
            (r.time < dayEnd || part.day == last ? reads : carried).emplace_back(r, truth);
        });
        std::stable_sort(reads.begin(), reads.end(), [](const auto& a, const auto& b) { return a.first.time < b.first.time; });
        for (auto& [read, truth] : reads) sink.add(std::move(read), std::move(truth));
    }
    sink.flush();
    outcome.sensing = mergeSensingSummaries(sensing);
    fs::remove_all(daysDir);  // merged: the run's own files now hold everything the days wrote
    return outcome;
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
    size_t departed = 0, completed = 0, teleported = 0, rerouted = 0;
    for (const TripRecord& t : trips) {
        departed += t.depart >= 0;
        completed += t.completed();
        teleported += t.teleported;
        rerouted += t.rerouted;
    }
    return {{"trips_planned", trips.size()}, {"trips_departed", departed}, {"trips_completed", completed},
            {"trips_teleported", teleported}, {"trips_rerouted", rerouted}};
}

}  // namespace

namespace {

// `alprsim run --only-day K`: simulates day K of the scenario alone and writes its day part
// (apps/day_parts.h). Cameras are deployed from the first day's plans, as in the whole run.
nlohmann::json runDayPart(const Scenario& s, const RunOptions& options, uint32_t day) {
    StagedDirectory out(options.outDir, options.replaceExisting);
    const fs::path net = cachedNetwork(s.osmFile, out.path());
    SimulationConfig config = simulationConfig(s, net, out.path());
    config.beginSeconds = std::max(s.beginSeconds, day * 86400.0);
    Simulation sim(config);
    RoadNetwork roads = sim.roadNetwork();
    applyNetFileAttributes(roads, readNetFileAttributes(net));
    const TownMap towns = TownMap::load(s.townsFile);
    attributeTowns(roads, towns);
    TripPlanner planner(s.demand, roads, towns, s.seed, s.beginSeconds, s.endSeconds);
    planner.setThreads(options.threads);
    if (day < planner.firstDay() || day > planner.lastDay())
        throw InputError(s.file.string(), "--only-day " + std::to_string(day),
                         "a day of the scenario, " + std::to_string(planner.firstDay()) + " to " + std::to_string(planner.lastDay()));

    TripLog log;
    std::vector<TripPlan> dayPlans;
    scheduleDay(day, planner, sim, log, &dayPlans);
    const std::vector<TripPlan> firstDay = day == planner.firstDay() ? dayPlans : planner.planDay(planner.firstDay(), sim);
    SensorArray sensor = SensorArray::deploy(s.cameras, firstDay, roads, sim);
    sensor.setThreads(options.threads);
    sensor.addTrips(dayPlans);
    const recognition::Recognizer recognizer = recognition::Recognizer::create(s.recognitionMode);
    DayPartCounts counts;
    {
        ReadStore store = ReadStore::create(out.path() / "reads.sqlite");
        store.addCameras(cameraRecords(sensor.cameras()));
        ReadSink sink(store, nullptr);
        ReadRecorder recorder(sink, sensor.cameras(), log, recognizer, s.seed, options.threads);
        counts.steps = simulate(s, sim, planner, day + 1, day, log, sensor, recorder, sink);
        sink.flush();
        counts.reads = sink.total();
        counts.correct = recorder.counts().correct;
        counts.misread = recorder.counts().misread;
        counts.noRead = recorder.counts().noRead;
        counts.endSeconds = sim.time();
    }
    writeDayPart(out.path(), day, log.trips(), counts, sensor.summary(), planner.network());
    removeUncachedNetwork(out.path());
    out.commit();
    return {{"day", day}, {"reads", counts.reads}, {"trips", log.trips().size()}};
}

}  // namespace

nlohmann::json runScenario(const Scenario& s, const RunOptions& options) {
    if (options.onlyDay) return runDayPart(s, options, *options.onlyDay);
    StagedDirectory out(options.outDir, options.replaceExisting);

    spdlog::info("network: converting or reusing {}", s.osmFile.string());
    const fs::path net = cachedNetwork(s.osmFile, out.path());
    Simulation sim(simulationConfig(s, net, out.path()));
    RoadNetwork roads = sim.roadNetwork();
    applyNetFileAttributes(roads, readNetFileAttributes(net));
    const TownMap towns = TownMap::load(s.townsFile);
    attributeTowns(roads, towns);

    spdlog::info("demand: planning day {}", s.beginSeconds / 86400);
    TripPlanner planner(s.demand, roads, towns, s.seed, s.beginSeconds, s.endSeconds);
    planner.setThreads(options.threads);
    const bool dayProcesses = options.dayProcesses > 1 && planner.lastDay() > planner.firstDay();
    TripLog log;
    std::vector<TripPlan> firstDay;
    if (dayProcesses) {
        firstDay = planner.planDay(planner.firstDay(), sim);  // planned here, simulated by a day process
        log.add(firstDay);
    } else {
        scheduleDay(planner.firstDay(), planner, sim, log, &firstDay);
    }

    SensorArray sensor = SensorArray::deploy(s.cameras, firstDay, roads, sim);
    sensor.setThreads(options.threads);
    if (!dayProcesses) sensor.addTrips(firstDay);
    size_t unattributed = 0, reads = 0;
    std::vector<size_t> readsPerTrip;
    SimulationOutcome simulated;
    nlohmann::json hotList;
    const recognition::Recognizer recognizer = recognition::Recognizer::create(s.recognitionMode);
    {
        ReadStore store = ReadStore::create(out.path() / "reads.sqlite");
        store.addCameras(cameraRecords(sensor.cameras()));
        // The hot list is drawn from the first day's fleet, however the days are run.
        std::optional<StoreNetwork> agencies = openAgencyStores(s, out.path(), sensor.cameras(), log, planner);
        ReadSink sink(store, agencies ? &*agencies : nullptr);
        if (dayProcesses) {
            spdlog::info("simulating days {} to {} in {} processes at a time", planner.firstDay(), planner.lastDay(), options.dayProcesses);
            simulated = simulateDaysInProcesses(s, options, out.path(), planner, sim, log, sink);
        } else {
            ReadRecorder recorder(sink, sensor.cameras(), log, recognizer, s.seed, options.threads);
            spdlog::info("simulating {} to {} s", s.beginSeconds, s.endSeconds);
            simulated.steps = simulate(s, sim, planner, planner.firstDay() + 1, planner.lastDay(), log, sensor, recorder, sink);
            sink.flush();
            simulated.endSeconds = sim.time();
            simulated.recognized = recorder.counts();
            simulated.sensing = sensor.summary();
        }
        reads = sink.total();
        readsPerTrip = countReadsPerTrip(log.trips(), store, &unattributed);
        if (agencies) {
            agencies->purge(simulated.endSeconds);
            agencies->checkpoint();
            hotList = hotListJson(agencies->hotListReport(), s.stores->hotList);
        }
    }  // the store is closed here: a single self-contained file, no -wal or -shm beside it
    const CoverageMetrics coverage = summarizeCoverage(log.trips(), readsPerTrip, unattributed);

    nlohmann::json counts = tripCounts(log.trips());
    counts["vehicles"] = planner.population() ? planner.population()->vehicles().size() : firstDay.size();
    counts["cameras"] = sensor.cameras().size();
    counts["reads"] = reads;
    counts["trips_unroutable"] = planner.unroutableTrips();
    counts["reads_correct"] = simulated.recognized.correct;
    counts["reads_misread"] = simulated.recognized.misread;
    counts["captures_not_read"] = simulated.recognized.noRead;
    nlohmann::json results = {
        {"alprsim_version", "0.1.0"},
        {"scenario_file", s.file.filename().string()},
        {"scenario", s.source},
        {"seed", s.seed},
        {"network", networkSummary(s, roads)},
        {"simulated", {{"begin_s", s.beginSeconds}, {"end_s", simulated.endSeconds}, {"steps", simulated.steps},
                       {"days", planner.lastDay() - planner.firstDay() + 1},
                       {"day_processes", dayProcesses ? options.dayProcesses : 1},
                       {"model", s.mesoscopic ? "mesoscopic" : "microscopic"},
                       {"recognition", std::string(recognition::toString(s.recognitionMode))}}},
        {"counts", counts},
        {"demand", demandRealism(log.trips(), planner, simulated.endSeconds)},
        {"metrics", {{"trip_coverage", coverage.toJson()}}},
        {"sensing", simulated.sensing},
        {"hot_list", hotList},
    };
    results["field_record"] = compareWithFieldRecord(results);  // the run's figures beside the field's
    writeFileAtomically(out.path() / "roads.json", roadNetworkToJson(roads).dump() + "\n");
    writeFileAtomically(out.path() / "vehicles.csv", planner.vehiclesCsv(firstDay));
    {
        AtomicFileWriter trips(out.path() / "trips.csv");
        writeTripsCsv(trips.out(), log.trips(), roads, readsPerTrip);
        trips.commit();
    }
    // The ground truth is in trips.csv now, which the analysis reads: the log's copy (a month
    // of a town's routes is gigabytes) would only double the analysis' peak memory.
    log = TripLog();
    // cameras.geojson before the analysis: it says which cameras are mobile (their reads are
    // placed where they were made).
    writeFileAtomically(out.path() / "cameras.geojson", sensor.geoJson().dump(1) + "\n");
    const AnalysisOutput analysis = analyzeRunDirectory(out.path(), AnalysisConfig{});  // as `alprsim analyze` does
    results["metrics"]["reconstructibility"] = analysis.reconstructibility;
    writeAnalysisFiles(out.path(), analysis);
    writeFileAtomically(out.path() / "cameras.add.xml", sensor.sumoAdditional());
    removeUncachedNetwork(out.path());
    // results.json last: its presence marks a complete run (and the rename below makes it visible).
    writeFileAtomically(out.path() / "results.json", results.dump(2) + "\n");
    out.commit();
    return results;
}

namespace {

// A run whose vehicles were teleported out of jams, or never got onto the road, did not drive
// the demand it was given: the jumped stretches and the trips not made are seen by no camera.
// Past 1% (the bound the realism check holds a run to) the figures need a caveat.
std::string notCarriedWarning(double teleportedShare, double neverEnteredShare, const std::string& trafficModel) {
    constexpr double kRealisticShare = 0.01;
    if (teleportedShare <= kRealisticShare && neverEnteredShare <= kRealisticShare) return "";
    const char* remedy = trafficModel == "microscopic"
                             ? "Drivers who look for faster routes (simulation.reroute_period_s) or the mesoscopic model carry "
                               "more (docs/measurements.md)."
                             : "Fewer vehicles, or their departures spread over more time, would be carried.";
    char buf[640];
    std::string what;  // "2.30% of trips teleported", "1.10% of trips never entered the network", or both
    if (teleportedShare > kRealisticShare) {
        std::snprintf(buf, sizeof buf, "%.2f%% of trips teleported", 100 * teleportedShare);
        what = buf;
    }
    if (neverEnteredShare > kRealisticShare) {
        std::snprintf(buf, sizeof buf, "%s%.2f%% %snever entered the network", what.empty() ? "" : " and ", 100 * neverEnteredShare,
                      what.empty() ? "of trips " : "");
        what += buf;
    }
    std::snprintf(buf, sizeof buf,
                  "Warning: %s, more than the 1%% a realistic run stays under: the %s model did not carry this demand on this "
                  "network, and what was skipped was seen by no camera. %s\n",
                  what.c_str(), trafficModel.c_str(), remedy);
    return buf;
}

// The realism check in one line: stuck trips, and how far departure times and trip lengths are
// from the travel survey's.
std::string demandSummary(const nlohmann::json& d, const std::string& trafficModel) {
    char buf[512];
    const auto& profile = d.at("departure_profile");
    std::string hours;
    for (const char* part : {"weekday", "weekend"}) {
        const std::string key = std::string(part) + "_distance_to_reference";
        if (!profile.contains(key)) continue;
        std::snprintf(buf, sizeof buf, "%s%s %.1f%%", hours.empty() ? "" : ", ", part, 100 * profile.at(key).get<double>());
        hours += buf;
    }
    // Only a population's day has a daily departure profile to compare; other demand models
    // depart evenly over a window, and a distance to the survey's day would only mislead.
    const std::string model = d.at("model").get<std::string>();
    const std::string departures = model == "population"
                                       ? "differ from the 2001 NHTS profile by " + (hours.empty() ? "-" : hours + " of trips")
                                       : "not compared with the 2001 NHTS profile (" + model + " demand departs evenly over its window)";
    const double teleported = d.at("teleported_share").get<double>();
    const double neverEntered = d.at("never_entered_share").get<double>();
    std::string notEntered;
    if (d.at("trips_never_entered").get<size_t>() > 0) {
        std::snprintf(buf, sizeof buf, ", %.2f%% never entered the network (%zu trips whose origin stayed full for %.0f minutes)",
                      100 * neverEntered, d.at("trips_never_entered").get<size_t>(), kMaxDepartDelaySeconds / 60);
        notEntered = buf;
    }
    std::snprintf(buf, sizeof buf, "Demand: %.2f%% of trips teleported%s; departure hours %s; mean trip %.1f km (NHTS %.1f km, uncut).\n",
                  100 * teleported, notEntered.c_str(), departures.c_str(), d.at("trip_length_km").at("mean").get<double>(),
                  d.at("reference").at("mean_vehicle_trip_km").get<double>());
    return buf + notCarriedWarning(teleported, neverEntered, trafficModel);
}

}  // namespace

std::string plainSummary(const nlohmann::json& r, const fs::path& outDir) {
    const auto& c = r.at("counts");
    const auto& m = r.at("metrics").at("trip_coverage");
    // The scenario's period, not the time the last trip ended (the run stops once every trip
    // has ended: a 1-hour scenario whose trips all end 36 minutes in is still a 1-hour scenario).
    const double ran = (r.at("simulated").at("end_s").get<double>() - r.at("simulated").at("begin_s").get<double>()) / 3600;
    const nlohmann::json* duration = r.at("scenario").contains("time") ? &r.at("scenario").at("time") : nullptr;
    const double hours = duration && duration->contains("duration_hours") && duration->at("duration_hours").is_number()
                             ? duration->at("duration_hours").get<double>()
                             : ran;
    char ended[96] = "";
    if (ran < hours - 0.05) std::snprintf(ended, sizeof ended, " (the last trip ended %.1f hours in)", ran);
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "%s: %zu vehicles made %zu trips over %.1f simulated hours%s on %zu road edges.\n"
                  "%zu cameras recorded %zu plate reads.\n"
                  "%.1f%% of trips were read at least once; %.1f%% at least twice (direction and time of travel known).\n"
                  "Results: %s (results.json, trips.csv, reads.sqlite, cameras.geojson)\n",
                  r.at("scenario").at("name").get<std::string>().c_str(), c.at("vehicles").get<size_t>(),
                  c.at("trips_departed").get<size_t>(), hours, ended, r.at("network").at("edges").get<size_t>(),
                  c.at("cameras").get<size_t>(), c.at("reads").get<size_t>(), 100 * m.at("share_observed").get<double>(),
                  100 * m.at("share_linked").get<double>(), outDir.string().c_str());
    return buf + demandSummary(r.at("demand"), r.at("simulated").at("model").get<std::string>());
}

}  // namespace alprsim
