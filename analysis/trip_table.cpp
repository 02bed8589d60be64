#include "analysis/trip_table.h"

#include <fmt/format.h>

#include <sstream>

#include "core/csv.h"

namespace alprsim {

std::string tripsCsvSeconds(double t) { return t < 0 ? "" : fmt::format("{:.2f}", t); }

void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const RoadNetwork& network,
                   const std::vector<size_t>& readsPerTrip) {
    out << "trip,vehicle,plate,planned_depart,depart,arrive,teleported,origin,destination,route_length_m,route_edges,reads\n";
    for (size_t i = 0; i < trips.size(); ++i) {
        const TripRecord& t = trips[i];
        out << csvField(t.plan.trip) << ',' << csvField(t.plan.vehicle) << ',' << csvField(t.plan.plate) << ','
            << tripsCsvSeconds(t.plan.plannedDepart) << ',' << tripsCsvSeconds(t.depart) << ',' << tripsCsvSeconds(t.arrive) << ','
            << (t.teleported ? "1" : "0") << ',' << csvField(network.edges().at(t.plan.route.front()).id) << ','
            << csvField(network.edges().at(t.plan.route.back()).id) << ',' << tripsCsvSeconds(t.plan.routeLength) << ','
            << csvField(joinSpaces(network.edgeIds(t.plan.route))) << ',' << readsPerTrip[i] << '\n';
    }
}

std::string tripsCsv(const std::vector<TripRecord>& trips, const RoadNetwork& network, const std::vector<size_t>& readsPerTrip) {
    std::ostringstream out;
    writeTripsCsv(out, trips, network, readsPerTrip);
    return out.str();
}

}  // namespace alprsim
