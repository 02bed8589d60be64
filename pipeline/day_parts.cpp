#include "pipeline/day_parts.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <utility>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "core/json_reader.h"
#include "core/median.h"
#include "run_folder/run_folder.h"
#include "sensors/sensor_array.h"
#include "sim/road_network.h"
#include "sweep/local_backend.h"
#include "sweep/slurm_backend.h"

namespace alprsim {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> kOutcomesColumns = {"trip", "depart", "arrive", "teleported", "route_driven"};

double round2(double v) { return std::round(v * 100) / 100; }

bool isMedian(const std::string& key) { return key.rfind("median_", 0) == 0; }
bool isRate(const std::string& key) {
    return key.find("per_hour") != std::string::npos || key.find("per_patrol_hour") != std::string::npos;
}

json mergeNodes(const std::vector<const json*>& nodes);

// Arrays of objects with an "id" (patrol cars) merge element by element, by id, in first-seen order.
json mergeArrays(const std::vector<const json*>& arrays) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<const json*>> byId;
    for (const json* a : arrays)
        for (const json& e : *a) {
            const std::string id = e.is_object() && e.contains("id") ? e["id"].dump() : "";
            if (!byId.count(id)) order.push_back(id);
            byId[id].push_back(&e);
        }
    json out = json::array();
    for (const std::string& id : order) out.push_back(mergeNodes(byId[id]));
    return out;
}

json mergeNodes(const std::vector<const json*>& nodes) {
    const json& first = *nodes.front();
    if (first.is_array()) return mergeArrays(nodes);
    if (!first.is_object()) return first;
    json out = json::object();
    std::map<std::string, std::vector<const json*>> byKey;
    for (const json* n : nodes)
        for (const auto& [key, value] : n->items()) byKey[key].push_back(&value);
    for (const auto& [key, values] : byKey) {
        if (key == "camera" || key == "cameras" || key == "id") {
            out[key] = *values.front();  // the same configuration every day
        } else if (values.front()->is_number() && isMedian(key)) {
            std::vector<double> v;
            for (const json* x : values) v.push_back(x->get<double>());
            out[key] = round2(median(v));
        } else if (values.front()->is_number() && !isRate(key)) {
            double sum = 0;
            for (const json* x : values) sum += x->get<double>();
            out[key] = values.front()->is_number_integer() ? json(static_cast<int64_t>(std::llround(sum))) : json(round2(sum));
        } else if (!values.front()->is_number()) {
            out[key] = mergeNodes(values);
        }
    }
    return out;
}

// Rates from the merged totals: reads per hour of each patrol car, of each agency's fleet and
// of the run's cars.
void recomputeRates(json& patrol) {
    for (json& car : patrol["cars"])
        car["reads_per_hour"] = SensorArray::readsPerHour(car.value("reads", 0.0), car.value("hours_on_road", 0.0));
    if (patrol.contains("by_agency"))
        for (json& fleet : patrol["by_agency"])
            fleet["reads_per_patrol_hour"] =
                SensorArray::readsPerHour(fleet.value("reads", 0.0), fleet.value("patrol_hours", 0.0));
    double reads = 0;
    for (const json& car : patrol["cars"]) reads += car.value("reads", 0.0);
    const double hours = patrol.value("patrol_hours", 0.0);
    patrol["reads_per_patrol_hour"] = SensorArray::readsPerHour(reads, hours);
    patrol["moving_reads_per_patrol_hour"] = SensorArray::readsPerHour(patrol.value("captured_moving", 0.0), hours);
    patrol["parked_reads_per_patrol_hour"] = SensorArray::readsPerHour(patrol.value("captured_parked", 0.0), hours);
}

// The last lines of a day process's log, for the error message when it failed.
std::string logTail(const fs::path& log) {
    std::ifstream in(log);
    if (!in) return "\n  (none: " + log.string() + " was not written)";
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string tail;
    for (size_t i = lines.size() > 8 ? lines.size() - 8 : 0; i < lines.size(); ++i) tail += "\n  " + lines[i];
    return tail;
}

// Local processes, or one Slurm array job with at most `atOnce` tasks running.
std::unique_ptr<RunBackend> dayBackend(const DayProcesses& how, const fs::path& daysDir) {
    if (!how.slurm) return std::make_unique<LocalBackend>(how.executable, how.atOnce, "days");
    SlurmOptions slurm = *how.slurm;
    slurm.maxRunning = how.atOnce;
    slurm.label = "days";
    return std::make_unique<SlurmBackend>(how.executable, daysDir / "slurm", slurm);
}

// Throws if a day process failed: every failed day named, with the end of the first one's log.
void checkDaysEnded(const std::vector<RunOutcome>& outcomes) {
    std::string failed;
    const RunOutcome* first = nullptr;
    for (const RunOutcome& r : outcomes) {
        if (r.finished && r.exitCode == 0) continue;
        const std::string how =
            r.exitCode ? "exit " + std::to_string(*r.exitCode) : std::string("no exit status: never ran, or was killed");
        failed += (failed.empty() ? "" : ", ") + r.id + " (" + how + ")";
        if (!first) first = &r;
    }
    if (!first) return;
    throw std::runtime_error("day processes failed: " + failed + "; the end of " + first->id + "'s log:" + logTail(first->log));
}

using DayReads = std::vector<std::pair<Read, ReadTruth>>;

// A day store's reads with their truth, in time order.
DayReads readsWithTruth(const fs::path& store) {
    DayReads reads;
    ReadStore::open(store).forEachReadWithTruth([&](const Read& r, const ReadTruth& t) { reads.emplace_back(r, t); });
    return reads;
}

// Adds a day's reads and those carried from the day before (each in time order) to `log`,
// merged by time, a carried read first on a tie (as a stable sort of the carried then the day's
// would give); returns the day's reads at or after `dayEnd`, to be carried to the next day.
DayReads mergeDay(DayReads day, DayReads carried, double dayEnd, ReadLog& log) {
    DayReads later;
    size_t c = 0;
    for (const auto& [read, truth] : day) {
        if (read.time >= dayEnd) {
            later.emplace_back(read, truth);
            continue;
        }
        for (; c < carried.size() && carried[c].first.time <= read.time; ++c) log.add(carried[c].first, carried[c].second);
        log.add(read, truth);
    }
    for (; c < carried.size(); ++c) log.add(carried[c].first, carried[c].second);
    return later;
}

}  // namespace

void writeDayPart(const fs::path& dir, uint32_t day, const std::vector<TripRecord>& trips, const DayPartCounts& c,
                  const json& sensing, const RoadNetwork& network) {
    std::string csv = csvRow(kOutcomesColumns);
    for (const TripRecord& t : trips) {
        if (t.plan.day != day) continue;
        csv += csvField(t.plan.trip) + "," + csvNumber(t.depart) + "," + csvNumber(t.arrive) + "," + (t.teleported ? "1" : "0") +
               ",";
        if (t.rerouted) csv += csvField(joinSpaces(network.edgeIds(t.plan.route)));
        csv += "\n";
    }
    writeFileAtomically(RunFolder(dir).dayOutcomes(), csv);
    const json part = {{"day", day},
                       {"reads", c.reads},
                       {"reads_correct", c.correct},
                       {"reads_misread", c.misread},
                       {"captures_not_read", c.noRead},
                       {"steps", c.steps},
                       {"end_s", c.endSeconds},
                       {"sensing", sensing}};
    writeFileAtomically(RunFolder(dir).dayPart(), part.dump(1) + "\n");
}

DayPart readDayPart(const fs::path& dir, TripLog& log, const RoadNetwork& network) {
    const fs::path partFile = RunFolder(dir).dayPart();
    std::ifstream partIn(partFile);
    if (!partIn) throw InputError(partFile.string(), "", "a day part written by `alprsim run --only-day`");
    const json part = json::parse(partIn);
    DayPart d;
    d.day = part.at("day").get<uint32_t>();
    d.counts = {part.at("reads").get<size_t>(),         part.at("reads_correct").get<size_t>(),
                part.at("reads_misread").get<size_t>(), part.at("captures_not_read").get<size_t>(),
                part.at("steps").get<size_t>(),         part.at("end_s").get<double>()};
    d.sensing = part.at("sensing");

    const fs::path outcomes = RunFolder(dir).dayOutcomes();
    std::ifstream in(outcomes);
    if (!in) throw InputError(outcomes.string(), "", "the trip outcomes of a day part");
    CsvReader csv(in, outcomes.string());
    if (csv.header() != kOutcomesColumns) {
        const std::string header = csvRow(kOutcomesColumns);
        throw InputError(outcomes.string(), "header", header.substr(0, header.size() - 1));
    }
    while (csv.next()) {
        const std::vector<std::string>& f = csv.row();
        const auto depart = csv.number(1), arrive = csv.number(2);
        if (!depart || !arrive || !log.setOutcome(f[0], *depart, *arrive, f[3] == "1"))
            throw InputError(outcomes.string(), "row " + std::to_string(csv.rowNumber()),
                             "a trip this run planned for day " + std::to_string(d.day));
        if (f[4].empty()) continue;
        std::vector<uint32_t> route = network.edgeIndices(splitSpaces(f[4]));
        const double length = network.routeLengthMetres(route);
        log.setRoute(f[0], std::move(route), length);
    }
    return d;
}

void writeDayCameras(const fs::path& file, const std::vector<Camera>& cameras) {
    json list = json::array();
    for (const Camera& c : cameras)
        if (c.kind == CameraKind::Fixed)
            list.push_back({{"id", c.id}, {"agency", c.agency}, {"edge", c.edge}, {"position", c.position}});
    writeFileAtomically(file, json{{"cameras", list}}.dump(1) + "\n");
}

std::vector<CameraSite> readDayCameras(const fs::path& file) {
    const json doc = parseUserJson(readTextFile(file), file.string());
    JsonObjectReader root(doc, file.string(), "");
    const json& list = root.requiredArray("cameras", CameraLimits::kMaxCameras);
    root.finish();
    std::vector<CameraSite> sites;
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string path = "/cameras/" + std::to_string(i);
        if (!list[i].is_object()) throw InputError(file.string(), path, "a camera (an object)");
        JsonObjectReader camera(list[i], file.string(), path);
        CameraSite site;
        site.id = camera.requiredString("id");
        site.agency = camera.requiredString("agency");
        site.edge = camera.requiredString("edge");
        site.position = camera.requiredNumber("position", 0, std::numeric_limits<double>::max());
        camera.finish();
        site.source = file.string();
        site.jsonPath = path;
        sites.push_back(std::move(site));
    }
    return sites;
}

json mergeSensingSummaries(const std::vector<json>& days) {
    if (days.empty()) return json::object();
    std::vector<const json*> nodes;
    nodes.reserve(days.size());
    for (const json& d : days) nodes.push_back(&d);
    json merged = mergeNodes(nodes);
    if (merged.contains("patrol")) recomputeRates(merged["patrol"]);
    return merged;
}

SimulationOutcome simulateDaysInProcesses(const Scenario& s, const DayProcesses& how, const fs::path& dir,
                                          const std::vector<Camera>& cameras, TripPlanner& planner, const Simulation& router,
                                          TripLog& log, ReadLog& reads) {
    const uint32_t first = planner.firstDay(), last = planner.lastDay();
    // The ground-truth log needs every day's plans (the merge checks that the day processes
    // planned the same trips). Planning them here while the day processes run, instead of
    // before, keeps it off the critical path: 28 days of a town take minutes to plan.
    std::atomic<bool> abandon{false};
    auto laterDays = std::async(std::launch::async, [&] {
        std::vector<std::vector<TripPlan>> plans;
        for (uint32_t d = first + 1; d <= last && !abandon; ++d) {
            plans.push_back(planner.planDay(d, router.routes()));
            spdlog::info("planned day {} here: {} trips", d, plans.back().size());
        }
        return plans;
    });
    // If the days fail or are interrupted, the planning stops after its current day.
    struct Abandon {
        std::atomic<bool>& flag;
        ~Abandon() { flag = true; }
    } abandonOnExit{abandon};
    const fs::path daysDir = RunFolder(dir).days();
    fs::create_directories(daysDir);
    const fs::path camerasFile = fs::absolute(RunFolder(dir).dayCameras());
    writeDayCameras(camerasFile, cameras);
    std::vector<RunTask> tasks;
    for (uint32_t d = first; d <= last; ++d) {
        const std::string id = "day-" + std::to_string(d);
        tasks.push_back(RunTask{id,
                                fs::absolute(s.file),
                                daysDir / id,
                                daysDir / (id + ".log"),
                                {"--only-day", std::to_string(d), "--cameras-from", camerasFile.string()},
                                RunFolder::kDayPart});
    }
    const std::vector<RunOutcome> outcomes = dayBackend(how, daysDir)->execute(tasks);
    // Logged before waiting for this process's own planning of the later days: the log then
    // shows which of the two took longer.
    spdlog::info("day processes ended");
    for (std::vector<TripPlan>& plans : laterDays.get()) log.add(std::exchange(plans, {}));
    checkDaysEnded(outcomes);
    spdlog::info("days simulated; merging {} day parts", tasks.size());

    SimulationOutcome outcome;
    std::vector<nlohmann::json> sensing;
    // Each day's reads are read from its store on another thread while the day before is merged.
    auto readDayStore = [&](size_t i) { return readsWithTruth(RunFolder(tasks[i].outDir).reads()); };
    std::future<DayReads> nextDay = std::async(std::launch::async, readDayStore, 0);
    DayReads carried;  // reads after the end of the day being merged
    for (size_t i = 0; i < tasks.size(); ++i) {
        const DayPart part = readDayPart(tasks[i].outDir, log, planner.network());
        outcome.steps += part.counts.steps;
        outcome.endSeconds = std::max(outcome.endSeconds, part.counts.endSeconds);
        outcome.recognized.correct += part.counts.correct;
        outcome.recognized.misread += part.counts.misread;
        outcome.recognized.noRead += part.counts.noRead;
        sensing.push_back(part.sensing);
        DayReads day = nextDay.get();
        if (i + 1 < tasks.size()) nextDay = std::async(std::launch::async, readDayStore, i + 1);
        carried = mergeDay(std::move(day), std::move(carried),
                           part.day == last ? std::numeric_limits<double>::infinity() : (part.day + 1) * 86400.0, reads);
    }
    outcome.sensing = mergeSensingSummaries(sensing);
    fs::remove_all(daysDir);  // merged: the run's own files now hold everything the days wrote
    spdlog::info("merged {} days: {} reads", tasks.size(), reads.size());
    return outcome;
}

}  // namespace alprsim
