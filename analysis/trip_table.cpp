#include "analysis/trip_table.h"

#include <cstdio>
#include <sstream>

#include "core/csv.h"

namespace alprsim {

namespace {
std::string seconds(double t) {
    if (t < 0) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", t);
    return buf;
}
}  // namespace

void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const RoadNetwork& network,
                   const std::vector<size_t>& readsPerTrip) {
    out << "trip,vehicle,plate,planned_depart,depart,arrive,teleported,origin,destination,route_length_m,route_edges,reads\n";
    for (size_t i = 0; i < trips.size(); ++i) {
        const TripRecord& t = trips[i];
        out << csvField(t.plan.trip) << ',' << csvField(t.plan.vehicle) << ',' << csvField(t.plan.plate) << ','
            << seconds(t.plan.plannedDepart) << ',' << seconds(t.depart) << ',' << seconds(t.arrive) << ','
            << (t.teleported ? "1" : "0") << ',' << csvField(network.edges().at(t.plan.route.front()).id) << ','
            << csvField(network.edges().at(t.plan.route.back()).id) << ',' << seconds(t.plan.routeLength) << ','
            << csvField(joinSpaces(network.edgeIds(t.plan.route))) << ',' << readsPerTrip[i] << '\n';
    }
}

std::string tripsCsv(const std::vector<TripRecord>& trips, const RoadNetwork& network, const std::vector<size_t>& readsPerTrip) {
    std::ostringstream out;
    writeTripsCsv(out, trips, network, readsPerTrip);
    return out.str();
}

}  // namespace alprsim
