#include "sim/demand_realism.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <set>

#include "sim/road_network.h"
#include "sim/simulation.h"

namespace alprsim {

namespace {

// Rounds to a decimal unit (0.001, 0.0001); dividing by the integer scale, not multiplying by
// the unit, so that 4.411 prints as 4.411 and not 4.4110000000000005.
double rounded(double v, double unit) {
    const double scale = std::round(1.0 / unit);
    return std::round(v * scale) / scale;
}

double quantile(std::vector<double> sorted, double q) {
    if (sorted.empty()) return 0.0;
    const size_t i = static_cast<size_t>(std::floor(q * (sorted.size() - 1)));
    return sorted[i];
}

// Vehicle trips by the hour they start: FHWA, Highway Statistics 2006, table NT-3 "Number of
// Vehicle Trips by Time of Day" (2001 NHTS; survey sample counts for a Wednesday and a Saturday).
constexpr HourlyShares kSurveyWeekday{147,  82,   83,   36,   249,  639,  1607, 3893, 2994, 2294, 2600, 2967,
                                      3166, 3032, 3321, 3888, 3959, 4377, 3746, 2819, 2061, 1559, 783,  381};
constexpr HourlyShares kSurveySaturday{432,  185,  117,  62,   185,  270,  558,  1147, 2088, 2951, 4096, 4420,
                                       4561, 4088, 4256, 4037, 3823, 3536, 3626, 2665, 2206, 1925, 1069, 772};

HourlyShares normalised(HourlyShares counts) {
    double total = 0;
    for (double c : counts) total += c;
    for (double& c : counts) c = total > 0 ? c / total : 0.0;
    return counts;
}

std::vector<double> roundedShares(const HourlyShares& s) {
    std::vector<double> out;
    for (double v : s) out.push_back(rounded(v, 1e-4));
    return out;
}

// Departures by hour on weekdays and on weekend days beside the survey's Wednesday and Saturday.
// Random-OD demand has no weekends; all its days count as weekdays.
nlohmann::json departureProfile(const std::vector<TripRecord>& trips, const Population* pop) {
    std::array<std::vector<double>, 2> departures;
    for (const TripRecord& t : trips) {
        if (t.depart < 0) continue;
        const bool weekend = pop && Population::isWeekend(pop->config().firstWeekday, t.plan.day);
        departures[weekend].push_back(t.depart);
    }
    nlohmann::json j = {{"reference",
                         {{"source", "FHWA, Highway Statistics 2006, table NT-3 (2001 NHTS, vehicle trips by start hour)"},
                          {"weekday_share_by_hour", roundedShares(surveyDepartureShares(false))},
                          {"saturday_share_by_hour", roundedShares(surveyDepartureShares(true))}}}};
    for (const bool weekend : {false, true}) {
        if (departures[weekend].empty()) continue;
        const std::string part = weekend ? "weekend" : "weekday";
        const HourlyShares ours = departureShares(departures[weekend]);
        j[part + "_share_by_hour"] = roundedShares(ours);
        j[part + "_distance_to_reference"] = rounded(profileDistance(ours, surveyDepartureShares(weekend)), 1e-4);
    }
    return j;
}

// A region's towns: residents from the census and the network's coverage, and where those who
// work on the network work.
nlohmann::json populationTowns(const Population& pop) {
    const PopulationConfig& c = pop.config();
    nlohmann::json towns = nlohmann::json::array();
    for (const PopulationTown& t : pop.towns()) {
        size_t workers = 0;
        for (size_t n : t.worksIn) workers += n;
        nlohmann::json worksIn = nlohmann::json::object();
        for (size_t k = 0; k < t.worksIn.size(); ++k)
            worksIn[pop.towns()[k].town] = workers ? rounded(double(t.worksIn[k]) / workers, 1e-4) : 0.0;
        nlohmann::json town = {{"town", t.town},
                               {"census_2010", t.census2010},
                               {"covered_share", rounded(t.coveredShare, 1e-4)},
                               {"residents", std::llround(t.residents)},
                               {"resident_vehicles", t.residentVehicles},
                               {"commuting_vehicles", t.commutingVehicles},
                               {"working_outside_vehicles", t.workingOutsideVehicles},
                               {"commuters_working_on_network", workers},
                               {"works_in_share", worksIn}};
        if (t.figures)
            town["figures"] = {{"vehicles_per_resident", t.figures->vehiclesPerResident},
                               {"workers_per_resident", t.figures->workersPerResident},
                               {"car_commute_share", t.figures->carCommuteShare},
                               {"workers_per_car", t.figures->workersPerCar},
                               {"work_outside_share", t.figures->workOutsideShare},
                               {"commuter_share", rounded(t.figures->commuterShare(), 1e-4)}};
        towns.push_back(std::move(town));
    }
    nlohmann::json out = {
        {"residents_model", c.residents == PopulationConfig::Residents::Covered ? "census x covered share" : "census"},
        {"work_towns_model", c.workTowns == PopulationConfig::WorkTowns::Gravity ? "gravity"
                             : c.workTowns == PopulationConfig::WorkTowns::Flows ? "flows"
                                                                                 : "anywhere"},
        {"towns", towns}};
    if (!c.townFiguresFile.empty()) out["town_figures_file"] = std::filesystem::path(c.townFiguresFile).filename().string();
    if (c.workTowns == PopulationConfig::WorkTowns::Flows)
        out["flows_file"] = std::filesystem::path(c.flowsFile).filename().string();
    else
        out["gravity_exponent"] = c.gravityExponent;
    return out;
}

nlohmann::json populationSummary(const Population& pop) {
    size_t resident = 0, through = 0, outOfState = 0, commuters = 0, outside = 0;
    for (const PopulationVehicle& v : pop.vehicles()) {
        (v.role == VehicleRole::Resident ? resident : through) += 1;
        outOfState += v.state != "MA";
        if (v.role == VehicleRole::Resident) {
            commuters += v.commutes;
            outside += v.worksOutside;
        }
    }
    const PopulationConfig& c = pop.config();
    nlohmann::json j = {{"towns", c.towns},
                        {"scale", c.scale},
                        {"residents", pop.residents()},
                        {"households", pop.households()},
                        {"resident_vehicles", resident},
                        {"through_vehicles", through},
                        {"vehicles_per_resident", pop.residents() ? rounded(double(resident) / pop.residents(), 1e-4) : 0.0},
                        {"commuting_vehicles", commuters},
                        {"working_outside_vehicles", outside},
                        {"out_of_state_plates", outOfState},
                        {"assumptions",
                         {{"vehicles_per_resident", c.vehiclesPerResident},
                          {"persons_per_household", c.personsPerHousehold},
                          {"commuter_share", c.commuterShare},
                          {"work_outside_share", c.workOutsideShare},
                          {"out_of_state_share", c.outOfStateShare},
                          {"through_per_resident_vehicle", c.throughVehiclesPerResidentVehicle},
                          {"through_out_of_state_share", c.throughOutOfStateShare}}}};
    const bool region =
        c.residents == PopulationConfig::Residents::Covered || c.workTowns != PopulationConfig::WorkTowns::Anywhere;
    if (region) j["by_town"] = populationTowns(pop);
    return j;
}

}  // namespace

HourlyShares surveyDepartureShares(bool weekend) { return normalised(weekend ? kSurveySaturday : kSurveyWeekday); }

HourlyShares departureShares(const std::vector<double>& departSeconds) {
    HourlyShares counts{};
    for (double t : departSeconds) counts[static_cast<size_t>(std::fmod(t, 86400.0) / 3600.0) % 24] += 1;
    return normalised(counts);
}

double profileDistance(const HourlyShares& a, const HourlyShares& b) {
    double d = 0;
    for (size_t h = 0; h < a.size(); ++h) d += std::abs(a[h] - b[h]);
    return d / 2;
}

// Trips that end in another town than they began, and trips whose route enters any other town
// (edges outside every town, such as a region's stand-in roads, do not count); null when the
// trips' roads lie in one town.
nlohmann::json townLineCrossings(const std::vector<TripRecord>& trips, const RoadNetwork& network) {
    size_t departed = 0, between = 0, crossing = 0;
    std::set<std::string> seen;
    for (const TripRecord& t : trips) {
        if (t.depart < 0 || t.plan.route.empty()) continue;
        ++departed;
        const std::string& from = network.edges()[t.plan.route.front()].town;
        const std::string& to = network.edges()[t.plan.route.back()].town;
        between += !from.empty() && !to.empty() && from != to;
        bool crosses = false;
        for (uint32_t e : t.plan.route) {
            const std::string& town = network.edges()[e].town;
            if (town.empty()) continue;
            if (seen.size() < 2) seen.insert(town);  // two towns are all the answer needs
            crosses = crosses || (!from.empty() && town != from);
        }
        crossing += crosses;
    }
    if (seen.size() < 2 || departed == 0) return nullptr;
    return {{"trips_between_towns_share", rounded(double(between) / departed, 1e-4)},
            {"trips_crossing_a_town_line_share", rounded(double(crossing) / departed, 1e-4)}};
}

nlohmann::json demandRealism(const std::vector<TripRecord>& trips, const TripPlanner& planner, double endSeconds) {
    std::vector<size_t> byHour(24, 0);
    std::vector<double> lengthsKm;
    size_t departed = 0, teleported = 0, neverEntered = 0;
    std::set<std::string> vehicles;
    std::set<uint32_t> days;
    for (const TripRecord& t : trips) {
        if (t.depart < 0) {
            neverEntered += t.plan.plannedDepart + kMaxDepartDelaySeconds <= endSeconds;
            continue;
        }
        ++departed;
        teleported += t.teleported;
        ++byHour[static_cast<size_t>(std::fmod(t.depart, 86400.0) / 3600.0) % 24];
        lengthsKm.push_back(t.plan.routeLength / 1000.0);
        vehicles.insert(t.plan.vehicle);
        days.insert(t.plan.day);
    }
    std::sort(lengthsKm.begin(), lengthsKm.end());
    double sum = 0;
    for (double l : lengthsKm) sum += l;
    const double mean = lengthsKm.empty() ? 0.0 : sum / lengthsKm.size();
    nlohmann::json j = {
        {"model", planner.population() ? "population" : "random-od"},
        {"departures_by_hour", byHour},
        {"departure_profile", departureProfile(trips, planner.population())},
        {"trips_departed", departed},
        {"trips_per_vehicle_day", vehicles.empty() ? 0.0 : rounded(double(departed) / vehicles.size() / days.size(), 1e-3)},
        {"trip_length_km",
         {{"mean", rounded(mean, 1e-3)},
          {"p10", rounded(quantile(lengthsKm, 0.1), 1e-3)},
          {"p50", rounded(quantile(lengthsKm, 0.5), 1e-3)},
          {"p90", rounded(quantile(lengthsKm, 0.9), 1e-3)}}},
        {"teleported_share", departed ? rounded(double(teleported) / departed, 1e-5) : 0.0},
        {"trips_never_entered", neverEntered},
        {"never_entered_share", departed + neverEntered ? rounded(double(neverEntered) / (departed + neverEntered), 1e-5) : 0.0},
        {"routes_spread_by_congestion", planner.reroutedTrips()},  // sim/route_assignment.h
        // Trips are cut where the network ends, so within-town means fall well below this.
        {"reference",
         {{"source", "FHWA, 2017 National Household Travel Survey, Summary of Travel Trends, table 1"},
          {"mean_vehicle_trip_km", 16.9},
          {"note", "US mean vehicle trip length, 10.5 miles; trips here are cut at the network's edge"}}},
    };
    if (planner.population()) j["population"] = populationSummary(*planner.population());
    if (const nlohmann::json lines = townLineCrossings(trips, planner.network()); !lines.is_null()) j["town_lines"] = lines;
    return j;
}

}  // namespace alprsim
