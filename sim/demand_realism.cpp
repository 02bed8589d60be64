#include "sim/demand_realism.h"

#include <algorithm>
#include <cmath>
#include <set>

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
    return {{"towns", c.towns},
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
}

}  // namespace

nlohmann::json demandRealism(const std::vector<TripRecord>& trips, const TripPlanner& planner) {
    std::vector<size_t> byHour(24, 0);
    std::vector<double> lengthsKm;
    size_t departed = 0, teleported = 0;
    std::set<std::string> vehicles;
    std::set<uint32_t> days;
    for (const TripRecord& t : trips) {
        if (t.depart < 0) continue;
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
        {"trips_departed", departed},
        {"trips_per_vehicle_day", vehicles.empty() ? 0.0 : rounded(double(departed) / vehicles.size() / days.size(), 1e-3)},
        {"trip_length_km", {{"mean", rounded(mean, 1e-3)},
                            {"p10", rounded(quantile(lengthsKm, 0.1), 1e-3)},
                            {"p50", rounded(quantile(lengthsKm, 0.5), 1e-3)},
                            {"p90", rounded(quantile(lengthsKm, 0.9), 1e-3)}}},
        {"teleported_share", departed ? rounded(double(teleported) / departed, 1e-5) : 0.0},
        {"routes_spread_by_congestion", planner.reroutedTrips()},  // sim/route_assignment.h
        // Trips are cut where the network ends, so within-town means fall well below this.
        {"reference", {{"source", "FHWA, 2017 National Household Travel Survey, Summary of Travel Trends, table 1"},
                       {"mean_vehicle_trip_km", 16.9},
                       {"note", "US mean vehicle trip length, 10.5 miles; trips here are cut at the network's edge"}}},
    };
    if (planner.population()) j["population"] = populationSummary(*planner.population());
    return j;
}

}  // namespace alprsim
