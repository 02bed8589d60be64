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

void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const std::vector<size_t>& readsPerTrip) {
    out << "trip,vehicle,plate,planned_depart,depart,arrive,teleported,origin,destination,route_length_m,route_edges,reads\n";
    std::string edges;
    for (size_t i = 0; i < trips.size(); ++i) {
        const TripRecord& t = trips[i];
        edges.clear();
        for (const std::string& e : t.plan.route) {
            if (!edges.empty()) edges += ' ';
            edges += e;
        }
        out << csvField(t.plan.trip) << ',' << csvField(t.plan.vehicle) << ',' << csvField(t.plan.plate) << ','
            << seconds(t.plan.plannedDepart) << ',' << seconds(t.depart) << ',' << seconds(t.arrive) << ','
            << (t.teleported ? "1" : "0") << ',' << csvField(t.plan.route.front()) << ',' << csvField(t.plan.route.back())
            << ',' << seconds(t.plan.routeLength) << ',' << csvField(edges) << ',' << readsPerTrip[i] << '\n';
    }
}

std::string tripsCsv(const std::vector<TripRecord>& trips, const std::vector<size_t>& readsPerTrip) {
    std::ostringstream out;
    writeTripsCsv(out, trips, readsPerTrip);
    return out.str();
}

}  // namespace alprsim
