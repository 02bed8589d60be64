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

namespace {
// A route's edge ids, space-separated, as one CSV field (joined in place: no vector of ids a trip).
void appendRouteField(std::string& row, const std::vector<uint32_t>& route, const RoadNetwork& network) {
    const size_t start = row.size();
    for (const uint32_t e : route) {
        if (row.size() > start) row.push_back(' ');
        row.append(network.edges()[e].id);
    }
    if (row.find_first_of(",\"\r\n", start) != std::string::npos)
        row.replace(start, std::string::npos, csvField(row.substr(start)));
}
}  // namespace

void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const RoadNetwork& network,
                   const std::vector<size_t>& readsPerTrip, const std::vector<TripOutcome>* outcomes) {
    if (outcomes && outcomes->size() != trips.size()) throw std::logic_error("writeTripsCsv: an outcome for each trip");
    out << "trip,vehicle,plate,planned_depart,depart,arrive,teleported,origin,destination,route_length_m,route_edges,reads";
    if (outcomes)
        for (const std::string& column : kTripOutcomeColumns) out << ',' << column;
    out << '\n';
    std::string row;  // built in place and written whole: an ostream insertion a field costs more than the field
    for (size_t i = 0; i < trips.size(); ++i) {
        const TripRecord& t = trips[i];
        row.clear();
        const auto cell = [&row](const std::string& text) { row.append(text).push_back(','); };
        cell(csvField(t.plan.trip));
        cell(csvField(t.plan.vehicle));
        cell(csvField(t.plan.plate));
        cell(tripsCsvSeconds(t.plan.plannedDepart));
        cell(tripsCsvSeconds(t.depart));
        cell(tripsCsvSeconds(t.arrive));
        cell(t.teleported ? "1" : "0");
        cell(csvField(network.edges().at(t.plan.route.front()).id));
        cell(csvField(network.edges().at(t.plan.route.back()).id));
        cell(tripsCsvSeconds(t.plan.routeLength));
        appendRouteField(row, t.plan.route, network);
        row.append(",").append(std::to_string(readsPerTrip[i]));
        if (outcomes) row.append(",").append(tripOutcomeCells((*outcomes)[i]));
        row.push_back('\n');
        out.write(row.data(), static_cast<std::streamsize>(row.size()));
    }
}

std::string tripsCsv(const std::vector<TripRecord>& trips, const RoadNetwork& network, const std::vector<size_t>& readsPerTrip) {
    std::ostringstream out;
    writeTripsCsv(out, trips, network, readsPerTrip);
    return out.str();
}

}  // namespace alprsim
