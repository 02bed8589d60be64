#include "sim/random_demand.h"

#include <algorithm>
#include <stdexcept>

#include "core/plate.h"
#include "core/rng.h"
#include "core/weighted_sampler.h"
#include "sim/road_network.h"
#include "sim/sumo_routes.h"

namespace alprsim {

std::vector<TripPlan> planRandomTrips(const RandomDemandConfig& config, const RoadNetwork& network, const SumoRoutes& router) {
    if (network.edges().empty()) throw std::runtime_error("the network has no drivable edges");
    std::vector<double> lengths;
    for (const RoadEdge& e : network.edges()) lengths.push_back(e.length);
    const WeightedSampler sampler(lengths);
    Rng odRng = Rng::stream(config.seed, "random-demand/od");
    Rng timeRng = Rng::stream(config.seed, "random-demand/depart");
    PlateGenerator plates(Rng::stream(config.seed, "plates"));

    std::vector<TripPlan> plans;
    plans.reserve(config.vehicles);
    const uint64_t maxAttempts = 50 * config.vehicles + 1000;
    uint64_t attempts = 0;
    while (plans.size() < config.vehicles) {
        if (++attempts > maxAttempts) {
            throw std::runtime_error("could not find " + std::to_string(config.vehicles) +
                                     " routable origin-destination pairs (network too fragmented?)");
        }
        const RoadEdge& from = network.edges()[sampler.draw(odRng)];
        const RoadEdge& to = network.edges()[sampler.draw(odRng)];
        if (from.id == to.id) continue;
        const std::vector<std::string> ids = router.fastest(from.id, to.id);
        // SUMO may route over an edge whose first lane bars cars (a bus lane) when another lane
        // allows them; the road network leaves such edges out, so such a route is drawn again.
        if (ids.empty() || !std::all_of(ids.begin(), ids.end(), [&](const std::string& id) { return network.contains(id); }))
            continue;
        std::vector<uint32_t> route = network.edgeIndices(ids);
        const double length = network.routeLengthMetres(route);
        if (length < config.minTripMetres) continue;
        TripPlan plan;
        plan.vehicle = "v" + std::to_string(plans.size());
        plan.trip = plan.vehicle + ".0";
        Rng mix = Rng::stream(config.seed, "plates/mix", plans.size());  // its own stream: the trips' draws stay
        IssuedPlate plate = plates.issue(mix);
        plan.plate = std::move(plate.text);
        plan.plateDesign = std::move(plate.design);
        plan.route = std::move(route);
        plan.routeLength = length;
        plan.purpose = "random";
        plans.push_back(std::move(plan));
    }
    // Departure times drawn separately, so the OD draws above do not shift them.
    for (TripPlan& p : plans) p.plannedDepart = timeRng.uniform(config.departBegin, config.departEnd);
    return plans;
}

}  // namespace alprsim
