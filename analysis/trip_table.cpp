#include "analysis/trip_table.h"

#include <charconv>
#include <sstream>

#include "core/csv.h"

namespace alprsim {

// std::to_chars rather than fmt: the same correctly rounded digits, without fmt's slow exact
// path for a fixed precision (a month of trips has tens of millions of these).
std::string tripsCsvSeconds(double t) {
    if (t < 0) return "";
    char text[400];  // the longest fixed rendering of a double with two decimals
    return std::string(text, std::to_chars(text, text + sizeof text, t, std::chars_format::fixed, 2).ptr);
}

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
