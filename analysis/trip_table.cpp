#include "analysis/trip_table.h"

#include <sstream>

#include "core/csv.h"

namespace alprsim {

std::string tripsCsvSeconds(double t) { return t < 0 ? "" : csvFixed(t, 2); }

void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const RoadNetwork& network,
                   const std::vector<size_t>& readsPerTrip) {
    out << "trip,vehicle,plate,planned_depart,depart,arrive,teleported,origin,destination,route_length_m,route_edges,reads\n";
    std::string route;
    for (size_t i = 0; i < trips.size(); ++i) {
        const TripRecord& t = trips[i];
        route.clear();
        for (const uint32_t e : t.plan.route) {  // joined in place: no vector of ids a trip
            if (!route.empty()) route += ' ';
            route += network.edges()[e].id;
        }
        out << csvField(t.plan.trip) << ',' << csvField(t.plan.vehicle) << ',' << csvField(t.plan.plate) << ','
            << tripsCsvSeconds(t.plan.plannedDepart) << ',' << tripsCsvSeconds(t.depart) << ',' << tripsCsvSeconds(t.arrive)
            << ',' << (t.teleported ? "1" : "0") << ',' << csvField(network.edges().at(t.plan.route.front()).id) << ','
            << csvField(network.edges().at(t.plan.route.back()).id) << ',' << tripsCsvSeconds(t.plan.routeLength) << ','
            << csvField(route) << ',' << readsPerTrip[i] << '\n';
    }
}

std::string tripsCsv(const std::vector<TripRecord>& trips, const RoadNetwork& network, const std::vector<size_t>& readsPerTrip) {
    std::ostringstream out;
    writeTripsCsv(out, trips, network, readsPerTrip);
    return out.str();
}

}  // namespace alprsim
