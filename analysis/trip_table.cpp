#include "analysis/trip_table.h"

#include <sstream>
#include <stdexcept>

#include "core/csv.h"

namespace alprsim {

std::string tripsCsvSeconds(double t) { return t < 0 ? "" : csvFixed(t, 2); }

const std::vector<std::string> kTripOutcomeColumns = {"observed_reads", "level", "endpoints_exposed", "route_coverage"};

std::string tripOutcomeCells(const TripOutcome& o) {
    return std::to_string(o.reads) + ',' + std::string(toString(o.level())) + ',' + (o.endpointsExposed ? "1" : "0") + ',' +
           csvFixed(o.routeCoverage, 4);
}

void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const RoadNetwork& network,
                   const std::vector<size_t>& readsPerTrip, const std::vector<TripOutcome>* outcomes) {
    if (outcomes && outcomes->size() != trips.size()) throw std::logic_error("writeTripsCsv: an outcome for each trip");
    out << "trip,vehicle,plate,planned_depart,depart,arrive,teleported,origin,destination,route_length_m,route_edges,reads";
    if (outcomes)
        for (const std::string& column : kTripOutcomeColumns) out << ',' << column;
    out << '\n';
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
            << csvField(route) << ',' << readsPerTrip[i];
        if (outcomes) out << ',' << tripOutcomeCells((*outcomes)[i]);
        out << '\n';
    }
}

std::string tripsCsv(const std::vector<TripRecord>& trips, const RoadNetwork& network, const std::vector<size_t>& readsPerTrip) {
    std::ostringstream out;
    writeTripsCsv(out, trips, network, readsPerTrip);
    return out.str();
}

}  // namespace alprsim
