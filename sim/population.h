#pragma once
// A synthetic population that lives on the network for days: households in the scenario's
// towns, their cars with plates, homes on residential streets, workplaces and errands on
// commercial and arterial streets, commuters who work beyond the network and through traffic
// that crosses it. Each car has a routine (usual departure times, usual places) that is
// stable across days, with day-to-day jitter; weekends differ.
//
// Determinism: everything is drawn from Rng streams keyed by (seed, purpose, index), so the
// trips of day k are the same whether or not days 0..k-1 were generated, and days can be
// simulated in separate processes.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "core/plate.h"
#include "core/weighted_sampler.h"
#include "sim/town_shares.h"

namespace alprsim {

class RoadNetwork;
class TownMap;

struct PopulationConfig {
    std::vector<std::string> towns;  // where residents live (names as in towns.geojson)
    double scale = 1.0;              // share of the 2010 residents simulated
    // FHWA Highway Statistics 2010, table MV-1 (about 250 million registered vehicles) over
    // the 2010 Census (308.7 million residents): 0.81 vehicles per resident, US-wide.
    double vehiclesPerResident = 0.81;
    // 2010 Census, Massachusetts: 2.48 persons per household.
    double personsPerHousehold = 2.48;
    // The rest are modelling assumptions, documented in docs/scenarios.md and echoed in results.json.
    double commuterShare = 0.65;                     // resident cars used for a weekday commute
    double workOutsideShare = 0.5;                   // of those, commuting to work beyond the network
    double outOfStateShare = 0.02;                   // resident cars with another state's plate
    double throughVehiclesPerResidentVehicle = 0.3;  // cars that regularly cross the network
    double throughOutOfStateShare = 0.1;
    int firstWeekday = 0;  // weekday of day 0; 0 = Monday ... 6 = Sunday
    // A region of towns (sim/region_osm.h, sim/town_shares.h). Census: every listed town's 2010
    // residents, homes on any of their streets (one town's network). Covered: each town's 2010
    // residents times the share of it the network covers, homes in their own town.
    enum class Residents { Census, Covered } residents = Residents::Census;
    // Anywhere: workplaces on the network drawn by road length and class alone. Gravity: the
    // town first, by sim/town_shares.h's gravity model, then a workplace in it. Flows: the town
    // first, by the workers of a town-to-town flows file (sim/town_shares.h), then a workplace.
    enum class WorkTowns { Anywhere, Gravity, Flows } workTowns = WorkTowns::Anywhere;
    double gravityExponent = 2.0;  // Zipf's P1 P2 / D (1946); an assumption, stated in results.json
    std::string flowsFile;         // Flows: the CSV, resolved
    // Covered residents only: each town's own car ownership, car commuting and work beyond the
    // network (sim/town_shares.h, TownFigures), replacing vehiclesPerResident, commuterShare and
    // workOutsideShare; empty: those three for every town.
    std::string townFiguresFile;
    // work_outside_share given beside town_figures: workOutsideShare replaces the file's column
    // for every town (no town's figure is sourced: docs/regions.md; the sensitivity sweep varies it).
    bool workOutsideShareForEveryTown = false;
};

// What a population says of each of its towns (results.json, demand/population_towns).
struct PopulationTown {
    std::string town;
    int census2010 = 0;
    double coveredShare = 1.0;  // 1 for Residents::Census
    double residents = 0;       // simulated (census x covered share x scale)
    size_t residentVehicles = 0;
    std::vector<size_t> worksIn;  // commuters working on the network, by town (config order)
    size_t commutingVehicles = 0, workingOutsideVehicles = 0;
    std::optional<TownFigures> figures;  // PopulationConfig::townFiguresFile's row for the town
};

enum class VehicleRole { Resident, Through };

struct PopulationVehicle {
    std::string id;
    std::string plate;
    std::string state;                         // "MA" or another state's code
    std::string plateDesign{kStandardDesign};  // core/plate.h: "MA", a specialty design, or the state's code
    std::string household;                     // "" for through traffic
    VehicleRole role = VehicleRole::Resident;
    size_t home = 0;  // edge index: home street (residents) or where it enters (through)
    bool commutes = false;
    bool worksOutside = false;
    size_t work = 0;        // edge index: workplace, or the exit towards it (outside / through)
    size_t workReturn = 0;  // edge index where it re-enters from work (outside / through)
    size_t homeReturn = 0;  // through traffic: exit towards its home side
    double leaveHomeHour = 8.0;
    double leaveWorkHour = 17.0;
    std::array<size_t, 3> errands{};  // usual errand places (edge indices)
    size_t homeTown = SIZE_MAX;       // region with gravity towns: the home's town (config order)
    // Town figures only: a car without a commute whose driver works and gets there another
    // way, so that it runs its weekday errands after work (TownFigures::workingDriverShare).
    bool driverWorks = false;
};

struct PlannedTrip {
    std::string trip;    // unique id (also the SUMO vehicle id)
    size_t vehicle = 0;  // index into Population::vehicles()
    uint32_t day = 0;
    double depart = 0.0;  // seconds since midnight of day 0
    size_t from = 0;      // edge indices
    size_t to = 0;
    std::string purpose;  // commute, return-home, errand, through, ...
};

class Population {
public:
    // Throws InputError (source, jsonPath) if a town is unknown or has no streets on the
    // network, or boundary traffic is asked for on a network without a fringe.
    static Population synthesize(const PopulationConfig& config, const RoadNetwork& network, const TownMap& towns, uint64_t seed,
                                 const std::string& source, const std::string& jsonPath);

    // Day `day`'s trips in departure order; independent of every other day.
    std::vector<PlannedTrip> tripsForDay(uint32_t day) const;

    const std::vector<PopulationVehicle>& vehicles() const { return vehicles_; }
    size_t residents() const { return residents_; }
    size_t households() const { return households_; }
    const PopulationConfig& config() const { return config_; }
    const std::vector<PopulationTown>& towns() const { return towns_; }
    static bool isWeekend(int firstWeekday, uint32_t day) { return (firstWeekday + day) % 7 >= 5; }
    // The planner's conservative guess of a drive between two edges (seconds), used to keep a
    // car's trips of a day in sequence; the simulation decides the real times.
    double travelSeconds(size_t from, size_t to) const;

private:
    void residentDay(const PopulationVehicle& v, size_t index, uint32_t day, std::vector<PlannedTrip>& out) const;
    void throughDay(const PopulationVehicle& v, size_t index, uint32_t day, std::vector<PlannedTrip>& out) const;
    std::vector<double> weekdayTourStarts(const PopulationVehicle& v, int tours, Rng& r) const;

    PopulationConfig config_;
    uint64_t seed_ = 0;
    const RoadNetwork* network_ = nullptr;
    std::vector<LatLon> midpoints_;  // each edge's, for travelSeconds (a polyline walk each time was half of trip-making)
    std::vector<PopulationVehicle> vehicles_;
    std::vector<size_t> activityPlaces_;  // errand candidates beyond the usual ones
    WeightedSampler activitySampler_;
    // A region with gravity work towns (WorkTowns::Gravity): errands too go to a town drawn by
    // the gravity model from the home town, then to a place in it, as shops and services near
    // home draw more errands than distant ones; empty otherwise (errands anywhere on the network).
    struct ErrandTowns {
        std::vector<WeightedSampler> townFrom;  // per home town: which town
        std::vector<std::vector<size_t>> places;
        std::vector<WeightedSampler> placeIn;  // per town: which of its places
        size_t draw(size_t homeTown, Rng& r) const;
    } errandTowns_;
    size_t errandPlace(const PopulationVehicle& v, Rng& r) const;
    size_t residents_ = 0;
    size_t households_ = 0;
    std::vector<PopulationTown> towns_;
};

}  // namespace alprsim
