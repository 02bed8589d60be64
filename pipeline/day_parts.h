#pragma once
// Days run as separate processes. A population's day k is planned the same whether or not the
// days before it were (sim/population.h), so a multi-day run can simulate each day in its own
// `alprsim run --only-day K` process, in parallel, and then merge the days as if one process had
// run them. Traffic of one day does not meet the next day's across midnight in such a run: each
// day starts on an empty network and runs until its last trip has arrived.
//
// A day part is a folder a day process writes (atomically, like a run):
//   reads.sqlite   the day's reads with their truth (recognition already applied)
//   outcomes.csv   trip,depart,arrive,teleported,route_driven: what happened to each of the
//                  day's trips (route_driven: its edges if it left its planned route, else empty)
//   part.json      the day's recognition counts, simulation steps and end time, sensing summary
// The run that hands out the days writes days/cameras.json first: its fixed cameras, which each
// day process places again (`--cameras-from`) instead of planning the first day a second time
// to rank the roads by its trips.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/simulation_stage.h"
#include "scenarios/scenario.h"
#include "sensors/fixed_camera.h"
#include "sensors/placement.h"
#include "sim/trip_log.h"
#include "sweep/slurm_backend.h"

namespace alprsim {

class RoadNetwork;

struct DayPartCounts {
    size_t reads = 0, correct = 0, misread = 0, noRead = 0;
    size_t steps = 0;
    double endSeconds = 0;
};

// Writes outcomes.csv and part.json into a day part folder (reads.sqlite is written by the run).
// `network`: the run's, whose edge indices the trips' routes hold.
void writeDayPart(const std::filesystem::path& dir, uint32_t day, const std::vector<TripRecord>& trips,
                  const DayPartCounts& counts, const nlohmann::json& sensing, const RoadNetwork& network);

struct DayPart {
    uint32_t day = 0;
    DayPartCounts counts;
    nlohmann::json sensing;
};

// Reads a day part's part.json, and applies its outcomes.csv to `log` (every trip in it must be
// one the log planned: anything else means the day process planned different trips, which
// is reported as an error naming the file), with the routes of trips that left theirs.
DayPart readDayPart(const std::filesystem::path& dir, TripLog& log, const RoadNetwork& network);

// days/cameras.json: each fixed camera's id, agency, edge and position (patrol cars are not
// written: each day process drives them from the scenario).
void writeDayCameras(const std::filesystem::path& file, const std::vector<Camera>& cameras);
// The cameras as sites of a listed placement (sensors/placement.h), which place the same
// cameras; throws InputError naming the file and the JSON path of what is wrong.
std::vector<CameraSite> readDayCameras(const std::filesystem::path& file);

// The sensing summary of a whole run from its days': counts, failures, patrol hours and reads
// add up; rates are recomputed; a median plate width becomes the median (core/median.h) of the
// days' medians.
nlohmann::json mergeSensingSummaries(const std::vector<nlohmann::json>& days);

// Where the day processes run (`alprsim run --day-processes N [--backend slurm]`).
struct DayProcesses {
    std::filesystem::path executable;   // alprsim: a day runs as `executable run SCENARIO --only-day K`
    unsigned atOnce = 2;                // processes at a time (on Slurm: array tasks running at once)
    std::optional<SlurmOptions> slurm;  // set: the days are one Slurm array job, else processes here
};

// Runs the planner's days each in its own `alprsim run --only-day K` process (in dir/days,
// removed once merged), then merges them: outcomes into the log, reads into `reads` in time
// order (a day's trips may end after midnight, among the next day's first reads), from which the
// caller writes the stores. The log holds the first day's plans; the later days' are planned
// here with `router`. The merge is the same whichever backend ran the days. Throws
// std::runtime_error naming the days whose process failed (or the Slurm command that did).
SimulationOutcome simulateDaysInProcesses(const Scenario& s, const DayProcesses& how, const std::filesystem::path& dir,
                                          const std::vector<Camera>& cameras, TripPlanner& planner, const Simulation& router,
                                          TripLog& log, ReadLog& reads);

}  // namespace alprsim
