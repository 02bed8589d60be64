#include "sim/demand.h"

#include <nlohmann/json.hpp>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "sim/road_network.h"
#include "sim/road_router.h"
#include "sim/sumo_routes.h"

namespace alprsim {

namespace fs = std::filesystem;

namespace {

// "town_figures": each town's own car ownership and car commuting (sim/town_shares.h), found
// beside the scenario, on the data path, then among the files alprsim ships (data/towns).
void readTownFiguresFile(JsonObjectReader& obj, PopulationConfig& c) {
    const std::string name = obj.requiredString("town_figures");
    if (c.residents != PopulationConfig::Residents::Covered)
        throw InputError(obj.file(), obj.pathOf("town_figures"), "none unless residents is \"covered\" (figures are per town)");
    for (const char* regionWide : {"vehicles_per_resident", "commuter_share"})
        if (obj.has(regionWide))
            throw InputError(obj.file(), obj.pathOf(regionWide), "none when town_figures is given (the file sets it per town)");
    c.workOutsideShareForEveryTown = obj.has("work_outside_share");
    std::vector<fs::path> searchPath = dataSearchPath(fs::path(obj.file()).parent_path());
    searchPath.emplace_back(ALPRSIM_TOWNS_DATA_DIR);
    const fs::path found = findDataFile(name, searchPath);
    if (found.empty())
        throw InputError(obj.file(), obj.pathOf("town_figures"),
                         "an existing town figures CSV; '" + name + "' was not found on the data path");
    c.townFiguresFile = found.string();
}

PopulationConfig readPopulation(JsonObjectReader& obj) {
    PopulationConfig c;
    const auto& towns = obj.requiredArray("towns", 351);
    if (towns.empty()) throw InputError(obj.file(), obj.pathOf("towns"), "at least one town name");
    for (size_t i = 0; i < towns.size(); ++i) {
        if (!towns[i].is_string())
            throw InputError(obj.file(), obj.pathOf("towns") + "/" + std::to_string(i), "a town name (a string)");
        c.towns.push_back(towns[i].get<std::string>());
    }
    c.scale = obj.optionalNumber("scale", 0.0001, DemandLimits::kMaxScale).value_or(c.scale);
    c.vehiclesPerResident = obj.optionalNumber("vehicles_per_resident", 0, 3).value_or(c.vehiclesPerResident);
    c.personsPerHousehold = obj.optionalNumber("persons_per_household", 1, 10).value_or(c.personsPerHousehold);
    c.commuterShare = obj.optionalNumber("commuter_share", 0, 1).value_or(c.commuterShare);
    c.workOutsideShare = obj.optionalNumber("work_outside_share", 0, 1).value_or(c.workOutsideShare);
    c.outOfStateShare = obj.optionalNumber("out_of_state_share", 0, 1).value_or(c.outOfStateShare);
    c.throughVehiclesPerResidentVehicle =
        obj.optionalNumber("through_per_resident_vehicle", 0, 10).value_or(c.throughVehiclesPerResidentVehicle);
    c.throughOutOfStateShare = obj.optionalNumber("through_out_of_state_share", 0, 1).value_or(c.throughOutOfStateShare);
    if (obj.has("residents"))
        c.residents = obj.requiredChoice("residents", {"census", "covered"}) == "covered" ? PopulationConfig::Residents::Covered
                                                                                          : PopulationConfig::Residents::Census;
    if (obj.has("work_towns")) {
        const std::string workTowns = obj.requiredChoice("work_towns", {"anywhere", "gravity", "flows"});
        c.workTowns = workTowns == "gravity" ? PopulationConfig::WorkTowns::Gravity
                      : workTowns == "flows" ? PopulationConfig::WorkTowns::Flows
                                             : PopulationConfig::WorkTowns::Anywhere;
    }
    c.gravityExponent = obj.optionalNumber("gravity_exponent", 0, 4).value_or(c.gravityExponent);
    if (c.workTowns == PopulationConfig::WorkTowns::Flows) {
        const std::string name = obj.requiredString("flows_file");
        const fs::path found = findDataFile(name, dataSearchPath(fs::path(obj.file()).parent_path()));
        if (found.empty())
            throw InputError(obj.file(), obj.pathOf("flows_file"),
                             "an existing flows CSV; '" + name + "' was not found on the data path");
        c.flowsFile = found.string();
    } else if (obj.has("flows_file")) {
        throw InputError(obj.file(), obj.pathOf("flows_file"), "none unless work_towns is \"flows\"");
    }
    if (obj.has("town_figures")) readTownFiguresFile(obj, c);
    if (obj.has("first_weekday")) {
        static const std::vector<std::string> names = {"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};
        const std::string day = obj.requiredChoice("first_weekday", {names.begin(), names.end()});
        c.firstWeekday = static_cast<int>(std::find(names.begin(), names.end(), day) - names.begin());
    }
    return c;
}

}  // namespace

DemandConfig readDemandConfig(JsonObjectReader obj) {
    DemandConfig c;
    c.source = obj.file();
    c.jsonPath = obj.path();
    const std::string model = obj.requiredChoice("model", {"random-od", "population"});
    if (model == "random-od") {
        c.model = DemandConfig::Model::RandomOd;
        c.vehicles = obj.requiredCount("vehicles", 1, DemandLimits::kMaxVehicles);
        c.departWindowHours = obj.optionalNumber("depart_window_hours", 0.01, 24.0 * 366).value_or(0.0);
    } else {
        c.model = DemandConfig::Model::Population;
        c.population = readPopulation(obj);
    }
    obj.finish();
    return c;
}

TripPlanner::TripPlanner(const DemandConfig& config, const RoadNetwork& network, const TownMap& towns, uint64_t seed,
                         double beginSeconds, double endSeconds)
    : config_(config), network_(network), seed_(seed), begin_(beginSeconds), end_(endSeconds) {
    firstDay_ = static_cast<uint32_t>(std::floor(beginSeconds / 86400.0));
    lastDay_ = static_cast<uint32_t>(std::ceil(endSeconds / 86400.0)) - 1;
    if (config.model == DemandConfig::Model::RandomOd) {
        lastDay_ = firstDay_;
        if (begin_ + randomDepartWindowSeconds() > end_)
            throw InputError(config.source, config.jsonPath + "/depart_window_hours",
                             "at most the scenario's /time/duration_hours");
        return;
    }
    population_ = Population::synthesize(config.population, network, towns, seed, config.source, config.jsonPath);
    const double expected = population_->residents() * config.population.vehiclesPerResident;
    if (expected > DemandLimits::kMaxVehicles)
        throw InputError(config.source, config.jsonPath + "/scale",
                         "a population of at most " + std::to_string(DemandLimits::kMaxVehicles) + " vehicles");
}

double TripPlanner::randomDepartWindowSeconds() const {
    return config_.departWindowHours > 0 ? config_.departWindowHours * 3600 : 0.75 * (end_ - begin_);
}

void TripPlanner::searchNewOrigins(const std::vector<const PlannedTrip*>& trips) {
    auto newOrigins = [&] {  // not searched from before, each once
        std::vector<size_t> origins;
        for (const PlannedTrip* t : trips)
            if (!trees_.count(t->from)) origins.push_back(t->from);
        std::sort(origins.begin(), origins.end());
        origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
        return origins;
    };
    std::vector<size_t> origins = newOrigins();
    if (origins.empty()) return;
    // Past the cap, the trees of places left on earlier days are forgotten.
    if ((trees_.size() + origins.size()) * network_.edges().size() > kMaxTreeEntries) {
        trees_.clear();
        origins = newOrigins();
    }
    if (routers_.empty()) {
        routers_.emplace_back(network_);
        freeFlow_ = RoadRouter::freeFlowCosts(network_);
    }
    std::vector<std::vector<uint32_t>> found(origins.size());
    forEachWithRouter(origins.size(), threads_, routers_,
                      [&](size_t k, RoadRouter& router) { found[k] = router.tree(origins[k], freeFlow_); });
    for (size_t k = 0; k < origins.size(); ++k) trees_.emplace(origins[k], std::move(found[k]));
}

std::vector<TripPlan> TripPlanner::planDay(uint32_t day, const SumoRoutes& router) {
    if (config_.model == DemandConfig::Model::RandomOd) {
        if (day != firstDay_) return {};
        return planRandomTrips(RandomDemandConfig{config_.vehicles, begin_, begin_ + randomDepartWindowSeconds(), 500.0, seed_},
                               network_, router);
    }
    const std::vector<PlannedTrip> all = population_->tripsForDay(day);
    std::vector<const PlannedTrip*> trips;
    for (const PlannedTrip& t : all)
        if (t.depart >= begin_ && t.depart < end_) trips.push_back(&t);
    searchNewOrigins(trips);
    std::vector<const PlannedTrip*> routable;
    routable.reserve(trips.size());
    for (const PlannedTrip* t : trips) {
        if (trees_.at(t->from)[t->to] == RoadRouter::kNoEdge) {
            ++unroutable_;
            continue;
        }
        routable.push_back(t);
    }
    // Routes are edge indices until the assignment has made them; then edge ids, once. The
    // plans are made in blocks on the searches' threads (each plan on its own).
    constexpr size_t kBlock = 2048;
    std::vector<TripPlan> plans(routable.size());
    std::vector<std::vector<uint32_t>> routes(routable.size());
    tbb::task_arena arena(threads_ > 0 ? static_cast<int>(threads_) : tbb::task_arena::automatic);  // --threads
    const auto inBlocks = [&arena](size_t count, const auto& job) {  // each index on its own: any split gives the same
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<size_t>(0, count, kBlock),
                              [&](const tbb::blocked_range<size_t>& r) { job(r.begin(), r.end()); });
        });
    };
    inBlocks(routable.size(), [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            const PlannedTrip& t = *routable[i];
            const PopulationVehicle& v = population_->vehicles()[t.vehicle];
            TripPlan& p = plans[i];
            p.trip = t.trip;
            p.vehicle = v.id;
            p.plate = v.plate;
            p.plateDesign = v.plateDesign;
            p.plannedDepart = t.depart;
            p.day = t.day;
            p.purpose = t.purpose;
        }
    });
    // Routes are read from the trees origin by origin, each tree while it is in the cache.
    std::vector<uint32_t> byOrigin(routable.size());
    for (size_t i = 0; i < byOrigin.size(); ++i) byOrigin[i] = static_cast<uint32_t>(i);
    std::sort(byOrigin.begin(), byOrigin.end(), [&](uint32_t a, uint32_t b) {
        return routable[a]->from != routable[b]->from ? routable[a]->from < routable[b]->from : a < b;
    });
    inBlocks(byOrigin.size(), [&](size_t begin, size_t end) {
        const std::vector<uint32_t>* tree = nullptr;
        size_t treeOrigin = 0;
        for (size_t k = begin; k < end; ++k) {
            const PlannedTrip& t = *routable[byOrigin[k]];
            if (!tree || treeOrigin != t.from) {
                tree = &trees_.at(t.from);
                treeOrigin = t.from;
            }
            routes[byOrigin[k]] = RoadRouter::pathInTree(*tree, t.from, t.to);
        }
    });
    if (!plans.empty()) {  // (no routers were made if no trip needed a route)
        RouteAssignmentConfig assignment;
        assignment.threads = threads_;
        const RouteAssignmentStats assigned = assignRoutes(plans, routes, network_, routers_, assignment);
        rerouted_ += assigned.rerouted;
    }
    inBlocks(plans.size(), [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            TripPlan& p = plans[i];
            p.route = std::move(routes[i]);
            p.route.shrink_to_fit();  // a month's plans are kept: no slack
            p.routeLength = network_.routeLengthMetres(p.route);
        }
    });
    return plans;
}

std::string TripPlanner::vehiclesCsv(const std::vector<TripPlan>& randomPlans) const {
    std::string out = "vehicle,plate,state,household,role,home_edge,work_edge,works_outside,plate_design\n";
    if (!population_) {
        for (const TripPlan& p : randomPlans)
            out += csvField(p.vehicle) + ',' + csvField(p.plate) + ",MA,,random,,,0," + csvField(p.plateDesign) + '\n';
        return out;
    }
    for (const PopulationVehicle& v : population_->vehicles()) {
        const bool resident = v.role == VehicleRole::Resident;
        const std::string work = v.commutes ? network_.edges()[v.work].id : "";
        out += csvField(v.id) + ',' + csvField(v.plate) + ',' + v.state + ',' + csvField(v.household) + ',' +
               (resident ? "resident" : "through") + ',' + csvField(resident ? network_.edges()[v.home].id : "") + ',' +
               csvField(resident && !v.worksOutside ? work : "") + ',' + (v.worksOutside ? "1" : "0") + ',' +
               csvField(v.plateDesign) + '\n';
    }
    return out;
}

}  // namespace alprsim
