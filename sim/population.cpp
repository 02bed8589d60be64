#include "sim/population.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/plate.h"
#include "core/rng.h"
#include "core/weighted_sampler.h"
#include "sim/road_network.h"
#include "sim/town_shares.h"
#include "sim/towns.h"

namespace alprsim {

namespace {

// Other states' plates seen in Massachusetts, with a generic 7-character format (@@@####):
// good enough to be unlike any Massachusetts format, which is what recognition rules care about.
// Edges on which every other edge of the set can be reached and vice versa: trips between
// them are always routable. Street networks cut out of a map have stray one-way fragments.
std::vector<bool> largestStronglyConnected(const RoadNetwork& network) {
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    const size_t n = network.edges().size();
    Graph g(n);
    for (size_t i = 0; i < n; ++i)
        for (size_t s : network.edges()[i].successors) boost::add_edge(i, s, g);
    std::vector<int> component(n);
    const int count =
        boost::strong_components(g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
    std::vector<double> length(static_cast<size_t>(count), 0.0);
    for (size_t i = 0; i < n; ++i) length[static_cast<size_t>(component[i])] += network.edges()[i].length;
    const int biggest = static_cast<int>(std::max_element(length.begin(), length.end()) - length.begin());
    std::vector<bool> in(n);
    for (size_t i = 0; i < n; ++i) in[i] = component[i] == biggest;
    return in;
}

bool isResidentialClass(const std::string& c) { return c == "residential" || c == "living_street" || c == "unclassified"; }

// How strongly a road class attracts workplaces and errands (shops and offices line arterials).
double activityWeight(const std::string& c) {
    if (c == "primary" || c == "secondary") return 4.0;
    if (c == "tertiary") return 3.0;
    if (c == "trunk" || c == "motorway") return 1.0;
    if (isResidentialClass(c)) return 0.5;
    return 1.0;
}

// Through traffic prefers big roads: a cut arterial carries far more than a cut side street.
double fringeWeight(const RoadEdge& e) {
    const double w = activityWeight(e.roadClass);
    return isResidentialClass(e.roadClass) ? 0.2 : w * e.lanes;
}

// Metres between two WGS84 points, equirectangular (fine at town scale).
double localMetres(LatLon a, LatLon b) {
    const double kx = 111320.0 * std::cos(a.lat * M_PI / 180.0);
    return std::hypot((b.lon - a.lon) * kx, (b.lat - a.lat) * 110540.0);
}

// Where a road was cut: a dead end near the edge of the map or at the border of the towns
// the residents live in (real cul-de-sacs lie inside them and are not fringe).
struct Fringe {
    std::vector<size_t> entries, exits;
    std::vector<double> entryWeights, exitWeights;
};

Fringe findFringe(const RoadNetwork& network, const std::vector<bool>& usable, const std::vector<const Town*>& towns) {
    LatLon lo{90, 180}, hi{-90, -180};
    for (const RoadEdge& e : network.edges())
        for (const LatLon& p : e.shapeWgs84) {
            lo = {std::min(lo.lat, p.lat), std::min(lo.lon, p.lon)};
            hi = {std::max(hi.lat, p.lat), std::max(hi.lon, p.lon)};
        }
    auto atFringe = [&](LatLon p) {
        const double toMapEdge = std::min({localMetres(p, {lo.lat, p.lon}), localMetres(p, {hi.lat, p.lon}),
                                           localMetres(p, {p.lat, lo.lon}), localMetres(p, {p.lat, hi.lon})});
        if (toMapEdge < 250.0) return true;
        for (const Town* t : towns)
            if (insideRings(t->rings, p) && metresToBoundary(p, *t) > 150.0) return false;
        return true;
    };
    Fringe f;
    for (size_t i = 0; i < network.edges().size(); ++i) {
        const RoadEdge& e = network.edges()[i];
        if (!usable[i] || e.shapeWgs84.empty()) continue;
        if (e.startsAtDeadEnd && atFringe(e.shapeWgs84.front())) {
            f.entries.push_back(i);
            f.entryWeights.push_back(fringeWeight(e));
        }
        if (e.endsAtDeadEnd && atFringe(e.shapeWgs84.back())) {
            f.exits.push_back(i);
            f.exitWeights.push_back(fringeWeight(e));
        }
    }
    return f;
}

// Where a resident who works beyond the network leaves it for work. In a region (gravity or
// flows work towns) by the gravity model of the work towns: an exit's weight over the distance
// from home to the power of the gravity exponent (at least 500 m, the floor of gravityWeights),
// since jobs beyond the network near home draw more of its commuters than distant ones (drawn
// by weight alone, a region's outside workers left as often by the far side of the region as by
// their own town's edge, crossing the region twice a day). Elsewhere (one town's network): an
// exit by its weight alone.
class OutsideExits {
public:
    OutsideExits(const Fringe& fringe, const RoadNetwork& network, std::optional<double> gravityExponent)
        : fringe_(fringe), byWeight_(fringe.exitWeights), exponent_(gravityExponent) {
        for (size_t e : fringe.exits) at_.push_back(network.edges()[e].shapeWgs84.back());
    }
    bool byGravity() const { return exponent_.has_value(); }
    // `nearest`: exits cut nearer than that to `from` are not drawn (through traffic: the spot of
    // the fringe where it came in); if that leaves none, an exit by its weight alone.
    size_t draw(LatLon from, Rng& r, double nearest = 0.0) const {
        if (!exponent_) return fringe_.exits[byWeight_.draw(r)];
        std::vector<double> w(at_.size());
        for (size_t k = 0; k < at_.size(); ++k) {
            const double d = localMetres(from, at_[k]);
            w[k] = d < nearest ? 0.0 : fringe_.exitWeights[k] / std::pow(std::max(500.0, d) / 1000.0, *exponent_);
        }
        const WeightedSampler byDistance(w);
        return fringe_.exits[byDistance.empty() ? byWeight_.draw(r) : byDistance.draw(r)];
    }

private:
    const Fringe& fringe_;
    WeightedSampler byWeight_;
    std::optional<double> exponent_;
    std::vector<LatLon> at_;  // each exit's far end, where the road was cut
};

// The same road's other direction where netconvert named it "-id" (or the reverse).
size_t reverseOrSelf(const RoadNetwork& network, size_t edge, const std::vector<size_t>& candidates) {
    const std::string& id = network.edges()[edge].id;
    const std::string reverse = id[0] == '-' ? id.substr(1) : "-" + id;
    if (network.contains(reverse)) {
        const size_t r = network.indexOf(reverse);
        if (std::find(candidates.begin(), candidates.end(), r) != candidates.end()) return r;
    }
    return candidates.empty() ? edge : candidates.front();
}

// A normal draw kept within [lo, hi] by drawing again, so no hour piles up at a bound.
double truncatedNormal(Rng& r, double mean, double sd, double lo, double hi) {
    for (;;) {
        const double h = r.normal(mean, sd);
        if (h >= lo && h <= hi) return h;
    }
}

// When a car's driver usually leaves home for work. Census 2000 (Journey to Work: 2000, brief
// C2KBR-33, 2004): 20% of workers left home before 6:30, 53% between 6:30 and 8:29, 27% later.
// Mean 7.65 h, sd 1.4 h, within 4.5-11.5 h, gives 19%, 54%, 27%. (Before: sd 0.75 h, which put
// 79% in 6:30-8:29 and twice the survey's share of the day's trips into 07:00-08:00.)
double usualLeaveHomeHour(Rng& r) { return truncatedNormal(r, 7.65, 1.4, 4.5, 11.5); }

// Leaving work: a working day of 9.5 h door to door (8 h, lunch, the commute), sd 1 h, so that
// early starters leave early and the evening peak spreads as the morning one does.
double usualLeaveWorkHour(Rng& r, double leaveHome) { return leaveHome + truncatedNormal(r, 9.5, 1.0, 6.5, 12.5); }

// Weekday trips of persons 66 and over by the hour they start, in millions a year: 2001 NHTS
// (BTS, Transportation Statistics Annual Report 2005, table 4-8), the age group least bound by
// working hours ("Those aged 66 and over are typically less constrained by work hours", ibid.,
// chapter 2). Errand tours of a car whose driver does not work start at these hours, from 05:00
// to 21:59 (99.0% of the group's trips by hour; earlier or later tours would end past midnight).
constexpr std::array<double, 24> kNonWorkerTripsByHour{14.3,   2.3,    1.1,    0.9,    29.5,   122.8,  416.7,  997.4,
                                                       1546.5, 2394.6, 2915.6, 2878.7, 2501.1, 2569.0, 2568.0, 2334.5,
                                                       1919.4, 1549.7, 1033.2, 747.5,  475.3,  376.0,  163.6,  53.6};
constexpr int kFirstTourHour = 5, kLastTourHour = 22;

double nonWorkerTripHour(Rng& r) {
    static const WeightedSampler byHour = [] {
        std::vector<double> w(kNonWorkerTripsByHour.begin(), kNonWorkerTripsByHour.end());
        for (int h = 0; h < 24; ++h)
            if (h < kFirstTourHour || h >= kLastTourHour) w[static_cast<size_t>(h)] = 0.0;
        return WeightedSampler(w);
    }();
    return static_cast<double>(byHour.draw(r)) + r.uniform();
}

// A commuter's car after work: an errand on the way home for one in four, an evening tour from
// home for one in five (residentDay); a working driver's car, whose driver came back without
// it, makes the same (Population::weekdayTourStarts).
constexpr double kAfterWorkErrandShare = 0.25, kEveningTourShare = 0.2;
constexpr std::array<double, 2> kEveningTourHours{18.5, 22.0};

// A through trip's way out is at least this far from its way in: nearer, it is the same spot of
// the fringe, where a real driver stays on the roads outside. (The gravity model's own floor.)
constexpr double kThroughMinCrossingMetres = 500.0;

}  // namespace

struct PlacePools {
    std::vector<size_t> homes, activities;
    std::vector<double> homeWeights, activityWeights;
};

namespace {

PlacePools placePools(const RoadNetwork& network, const std::vector<bool>& usable, const std::set<std::string>& towns) {
    PlacePools p;
    for (size_t i = 0; i < network.edges().size(); ++i) {
        if (!usable[i]) continue;
        const RoadEdge& e = network.edges()[i];
        p.activities.push_back(i);
        p.activityWeights.push_back(e.length * activityWeight(e.roadClass));
        if (towns.count(e.town) && isResidentialClass(e.roadClass)) {
            p.homes.push_back(i);
            p.homeWeights.push_back(e.length);
        }
    }
    if (p.homes.empty()) {  // a net without OSM road classes: any street in the towns
        for (size_t i = 0; i < network.edges().size(); ++i)
            if (usable[i] && towns.count(network.edges()[i].town)) {
                p.homes.push_back(i);
                p.homeWeights.push_back(network.edges()[i].length);
            }
    }
    return p;
}

// Homes and workplaces of each listed town, for a region's population (PopulationConfig::
// Residents::Covered, WorkTowns::Gravity).
struct TownPools {
    std::vector<std::vector<size_t>> homes, works;
    std::vector<WeightedSampler> homeSamplers, workSamplers;
    std::vector<TownPlaces> places;
};

TownPools townPools(const RoadNetwork& network, const std::vector<bool>& usable, const std::vector<const Town*>& towns,
                    const std::vector<TownCoverage>& coverage) {
    TownPools p;
    const size_t n = towns.size();
    p.homes.resize(n);
    p.works.resize(n);
    std::vector<std::vector<double>> homeW(n), workW(n);
    std::vector<double> homeLat(n), homeLon(n), jobLat(n), jobLon(n), homeSum(n), jobSum(n);
    for (size_t e = 0; e < network.edges().size(); ++e) {
        if (!usable[e]) continue;
        const RoadEdge& edge = network.edges()[e];
        const auto t = std::find_if(towns.begin(), towns.end(), [&](const Town* town) { return town->name == edge.town; });
        if (t == towns.end()) continue;
        const size_t i = static_cast<size_t>(t - towns.begin());
        const LatLon mid = network.midpoint(e);
        const double work = edge.length * activityWeight(edge.roadClass);
        p.works[i].push_back(e);
        workW[i].push_back(work);
        jobLat[i] += work * mid.lat, jobLon[i] += work * mid.lon, jobSum[i] += work;
        if (!isResidentialClass(edge.roadClass)) continue;
        p.homes[i].push_back(e);
        homeW[i].push_back(edge.length);
        homeLat[i] += edge.length * mid.lat, homeLon[i] += edge.length * mid.lon, homeSum[i] += edge.length;
    }
    for (size_t i = 0; i < n; ++i) {
        if (p.homes[i].empty()) p.homes[i] = p.works[i], homeW[i] = std::vector<double>(p.works[i].size(), 1.0);
        p.homeSamplers.emplace_back(homeW[i]);
        p.workSamplers.emplace_back(workW[i]);
        TownPlaces places;
        if (homeSum[i] > 0) places.homeCentroid = {homeLat[i] / homeSum[i], homeLon[i] / homeSum[i]};
        if (jobSum[i] > 0) places.jobCentroid = {jobLat[i] / jobSum[i], jobLon[i] / jobSum[i]};
        if (homeSum[i] <= 0) places.homeCentroid = places.jobCentroid;
        places.attraction = jobSum[i];
        places.coveredKm2 = coverage[i].coveredKm2;
        p.places.push_back(places);
    }
    return p;
}

// Each household's home (an edge) and each resident car's household (index into home).
struct Households {
    std::vector<size_t> home, ofVehicle;
};

// One ownership rate for the whole region: households drawn town by town in proportion to
// residents (Covered) or on any of the towns' streets (Census), cars spread over them evenly.
Households householdsOfRegion(const PopulationConfig& config, const std::vector<PopulationTown>& towns, const TownPools& byTown,
                              const PlacePools& pools, Rng& rng) {
    double residents = 0;
    for (const PopulationTown& t : towns) residents += t.residents;
    Households h;
    h.home.resize(std::max<size_t>(1, static_cast<size_t>(std::llround(residents / config.personsPerHousehold))));
    if (config.residents == PopulationConfig::Residents::Covered) {  // each town's share, in its own streets
        std::vector<double> townWeights;
        for (const PopulationTown& t : towns) townWeights.push_back(t.residents);
        const WeightedSampler townSampler(townWeights);
        for (size_t& home : h.home) {
            const size_t t = townSampler.draw(rng);
            home = byTown.homes[t][byTown.homeSamplers[t].draw(rng)];
        }
    } else {
        const WeightedSampler homeSampler(pools.homeWeights);
        for (size_t& home : h.home) home = pools.homes[homeSampler.draw(rng)];
    }
    const size_t cars = static_cast<size_t>(std::llround(residents * config.vehiclesPerResident));
    for (size_t i = 0; i < cars; ++i) h.ofVehicle.push_back(i % h.home.size());
    return h;
}

// Each town's own figures (TownFigures): its households in its own streets, and its own number
// of cars (its residents times its vehicles per resident) spread over them evenly.
Households householdsByTown(const PopulationConfig& config, const std::vector<PopulationTown>& towns, const TownPools& byTown,
                            Rng& rng) {
    Households h;
    for (size_t t = 0; t < towns.size(); ++t) {
        if (towns[t].residents < 0.5) continue;
        const size_t first = h.home.size();
        const size_t count =
            std::max<size_t>(1, static_cast<size_t>(std::llround(towns[t].residents / config.personsPerHousehold)));
        for (size_t k = 0; k < count; ++k) h.home.push_back(byTown.homes[t][byTown.homeSamplers[t].draw(rng)]);
        const size_t cars = static_cast<size_t>(std::llround(towns[t].residents * towns[t].figures->vehiclesPerResident));
        for (size_t k = 0; k < cars; ++k) h.ofVehicle.push_back(first + k % count);
    }
    return h;
}

}  // namespace

Population Population::synthesize(const PopulationConfig& config, const RoadNetwork& network, const TownMap& townMap,
                                  uint64_t seed, const std::string& source, const std::string& jsonPath) {
    Population pop;
    pop.config_ = config;
    pop.seed_ = seed;
    pop.network_ = &network;
    pop.midpoints_.reserve(network.edges().size());
    for (size_t e = 0; e < network.edges().size(); ++e) pop.midpoints_.push_back(network.midpoint(e));

    std::vector<const Town*> towns;
    std::vector<std::string> names;  // the towns', in the scenario's order
    std::set<std::string> townNames;
    const bool region =
        config.residents == PopulationConfig::Residents::Covered || config.workTowns != PopulationConfig::WorkTowns::Anywhere;
    std::vector<TownCoverage> coverage;
    double residents = 0;
    for (size_t i = 0; i < config.towns.size(); ++i) {
        const Town* t = townMap.find(config.towns[i]);
        if (!t)
            throw InputError(source, jsonPath + "/towns/" + std::to_string(i),
                             "a Massachusetts town name; \"" + config.towns[i] + "\" is not one");
        if (townNames.count(t->name))
            throw InputError(source, jsonPath + "/towns/" + std::to_string(i), "each town once; " + t->name + " is listed twice");
        towns.push_back(t);
        names.push_back(t->name);
        townNames.insert(t->name);
        coverage.push_back(region ? townCoverage(*t, network) : TownCoverage{1.0, 0.0});
        const double share = config.residents == PopulationConfig::Residents::Covered ? coverage.back().coveredShare : 1.0;
        pop.towns_.push_back({t->name, t->population2010, share, t->population2010 * share * config.scale, 0,
                              std::vector<size_t>(config.towns.size(), 0), 0, 0, std::nullopt});
        residents += pop.towns_.back().residents;
    }
    const std::vector<bool> usable = largestStronglyConnected(network);
    const TownPools byTown = region ? townPools(network, usable, towns, coverage) : TownPools{};
    const PlacePools pools = placePools(network, usable, townNames);
    if (pools.homes.empty()) throw InputError(source, jsonPath + "/towns", "towns with streets on this network");
    const Fringe fringe = findFringe(network, usable, towns);
    std::vector<TownFigures> figures;  // per listed town, if the scenario gives them
    if (!config.townFiguresFile.empty()) {
        if (config.residents != PopulationConfig::Residents::Covered)
            throw InputError(source, jsonPath + "/town_figures", "\"residents\": \"covered\" (figures are per town)");
        figures = figuresFor(readTownFigures(config.townFiguresFile, townMap), names, config.townFiguresFile);
        if (config.workOutsideShareForEveryTown)
            for (TownFigures& f : figures) f.workOutsideShare = config.workOutsideShare;
        for (size_t i = 0; i < towns.size(); ++i) pop.towns_[i].figures = figures[i];
    }
    bool leavesForWork = config.commuterShare * config.workOutsideShare > 0;
    if (!figures.empty())
        leavesForWork = std::any_of(figures.begin(), figures.end(),
                                    [](const TownFigures& f) { return f.commuterShare() * f.workOutsideShare > 0; });
    const bool needsFringe = leavesForWork || config.throughVehiclesPerResidentVehicle > 0;
    if (needsFringe && (fringe.entries.empty() || fringe.exits.empty()))
        throw InputError(source, jsonPath,
                         "a network with boundary roads for traffic leaving and entering it "
                         "(none found; set work_outside_share and through_per_resident_vehicle to 0)");

    pop.residents_ = static_cast<size_t>(std::llround(residents));
    if (config.residents == PopulationConfig::Residents::Covered)
        for (size_t i = 0; i < towns.size(); ++i)
            if (byTown.homes[i].empty() && pop.towns_[i].residents >= 0.5)
                throw InputError(source, jsonPath + "/towns/" + std::to_string(i),
                                 "a town with streets the rest of the network can reach and be reached from; " + towns[i]->name +
                                     "'s are not (a region's border table says where its roads were left unjoined)");
    Rng households = Rng::stream(seed, "population/households");
    const Households homes = figures.empty() ? householdsOfRegion(config, pop.towns_, byTown, pools, households)
                                             : householdsByTown(config, pop.towns_, byTown, households);
    pop.households_ = homes.home.size();
    const size_t residentVehicles = homes.ofVehicle.size();
    const size_t throughVehicles = static_cast<size_t>(std::llround(residentVehicles * config.throughVehiclesPerResidentVehicle));
    pop.activityPlaces_ = pools.activities;
    pop.activitySampler_ = WeightedSampler(pools.activityWeights);

    const WeightedSampler activitySampler(pools.activityWeights);
    const WeightedSampler entrySampler(fringe.entryWeights), exitSampler(fringe.exitWeights);
    const OutsideExits outsideExits(
        fringe, network,
        config.workTowns != PopulationConfig::WorkTowns::Anywhere ? std::optional<double>(config.gravityExponent) : std::nullopt);
    PlateGenerator plates(Rng::stream(seed, "population/plates"));
    // Errands stay near home by the gravity model whether work towns come from it or from a
    // flows file (commuting flows say nothing of errands).
    std::vector<WeightedSampler> gravityTown, workTown;
    if (config.workTowns != PopulationConfig::WorkTowns::Anywhere)
        for (const std::vector<double>& w : gravityWeights(byTown.places, config.gravityExponent)) gravityTown.emplace_back(w);
    if (config.workTowns == PopulationConfig::WorkTowns::Gravity) workTown = gravityTown;
    if (config.workTowns == PopulationConfig::WorkTowns::Flows) {
        std::vector<std::vector<double>> weights = flowWeights(readTownFlows(config.flowsFile, townMap), names, config.flowsFile);
        for (std::vector<double>& w : weights) {
            for (size_t j = 0; j < w.size(); ++j)
                if (byTown.works[j].empty()) w[j] = 0;  // no workplace of that town on the network
            workTown.emplace_back(w);
        }
    }
    if (!gravityTown.empty()) pop.errandTowns_ = {std::move(gravityTown), byTown.works, byTown.workSamplers};
    auto townIndex = [&](size_t edge) {  // among the listed towns; npos for any other
        for (size_t i = 0; i < towns.size(); ++i)
            if (towns[i]->name == network.edges()[edge].town) return i;
        return std::string::npos;
    };

    pop.vehicles_.reserve(residentVehicles + throughVehicles);
    for (size_t i = 0; i < residentVehicles + throughVehicles; ++i) {
        Rng r = Rng::stream(seed, "population/vehicle", i);
        PopulationVehicle v;
        v.id = "p" + std::to_string(i);
        const bool through = i >= residentVehicles;
        v.role = through ? VehicleRole::Through : VehicleRole::Resident;
        const double outOfState = through ? config.throughOutOfStateShare : config.outOfStateShare;
        if (r.uniform() < outOfState) {
            IssuedPlate plate = randomOutOfStatePlate(r);
            v.plate = std::move(plate.text);
            v.state = plate.design;
            v.plateDesign = std::move(plate.design);
        } else {
            v.state = "MA";
            // The mix from a stream of its own, so that it moves none of the vehicle's other draws.
            Rng mix = Rng::stream(seed, "population/plate-mix", i);
            IssuedPlate plate = plates.issue(mix);
            v.plate = std::move(plate.text);
            v.plateDesign = std::move(plate.design);
        }
        v.leaveHomeHour = usualLeaveHomeHour(r);
        v.leaveWorkHour = usualLeaveWorkHour(r, v.leaveHomeHour);
        for (size_t& e : v.errands) e = pools.activities[activitySampler.draw(r)];
        if (through) {
            v.home = fringe.entries[entrySampler.draw(r)];
            // In a region, through traffic leaves by an exit drawn by the gravity model from where
            // it came in, at least kThroughMinCrossingMetres on: drawn by weight alone, 43% of it
            // crossed 9.5-18 km of arterials between Brookline, Somerville and Everett (full weekday,
            // 6 Dec), trips that really take I-93, Storrow Drive or the Mass Pike, which no extract
            // holds (docs/regions.md).
            v.work = outsideExits.byGravity()
                         ? outsideExits.draw(network.edges()[v.home].shapeWgs84.front(), r, kThroughMinCrossingMetres)
                         : fringe.exits[exitSampler.draw(r)];
            v.workReturn = reverseOrSelf(network, v.work, fringe.entries);
            v.homeReturn = reverseOrSelf(network, v.home, fringe.exits);
            v.commutes = true;
            v.worksOutside = true;
        } else {
            const size_t h = homes.ofVehicle[i];
            v.household = "h" + std::to_string(h);
            v.home = homes.home[h];
            const size_t homeTown = townIndex(v.home);
            const bool ownFigures = !figures.empty() && homeTown != std::string::npos;
            v.commutes = r.uniform() < (ownFigures ? figures[homeTown].commuterShare() : config.commuterShare);
            v.worksOutside =
                v.commutes && r.uniform() < (ownFigures ? figures[homeTown].workOutsideShare : config.workOutsideShare);
            if (v.worksOutside) {
                v.work = outsideExits.draw(pop.midpoints_[v.home], r);
                v.workReturn = reverseOrSelf(network, v.work, fringe.entries);
            } else if (!workTown.empty() && homeTown != std::string::npos && !workTown[homeTown].empty()) {
                const size_t t = workTown[homeTown].draw(r);
                v.work = byTown.works[t][byTown.workSamplers[t].draw(r)];
                v.workReturn = v.work;
            } else {
                v.work = pools.activities[activitySampler.draw(r)];
                v.workReturn = v.work;
            }
            if (homeTown != std::string::npos && !workTown.empty() && !workTown[homeTown].empty()) {
                v.homeTown = homeTown;
                for (size_t& e : v.errands) e = pop.errandTowns_.draw(homeTown, r);
            }
            if (ownFigures && !v.commutes) v.driverWorks = r.uniform() < figures[homeTown].workingDriverShare();
            if (homeTown != std::string::npos) {
                ++pop.towns_[homeTown].residentVehicles;
                pop.towns_[homeTown].commutingVehicles += v.commutes;
                pop.towns_[homeTown].workingOutsideVehicles += v.worksOutside;
                const size_t workIn = townIndex(v.work);
                if (v.commutes && !v.worksOutside && workIn != std::string::npos) ++pop.towns_[homeTown].worksIn[workIn];
            }
        }
        pop.vehicles_.push_back(std::move(v));
    }
    return pop;
}

double Population::travelSeconds(size_t from, size_t to) const {
    // A conservative guess used only to order a chain of trips: 1.4x the straight line at
    // 8 m/s, plus a minute. The simulation decides the real times.
    const double metres = haversineMetres(midpoints_[from], midpoints_[to]);
    return 1.4 * metres / 8.0 + 60.0;
}

size_t Population::ErrandTowns::draw(size_t homeTown, Rng& r) const {
    const size_t town = townFrom[homeTown].draw(r);
    return places[town][placeIn[town].draw(r)];
}

// Mostly one of the car's usual places; otherwise a new one, near home in a region.
size_t Population::errandPlace(const PopulationVehicle& v, Rng& r) const {
    if (r.uniform() < 0.7) return v.errands[r.below(v.errands.size())];
    if (v.homeTown != SIZE_MAX && !errandTowns_.townFrom.empty()) return errandTowns_.draw(v.homeTown, r);
    return activityPlaces_[activitySampler_.draw(r)];
}

void Population::residentDay(const PopulationVehicle& v, size_t index, uint32_t day, std::vector<PlannedTrip>& out) const {
    Rng r = Rng::stream(seed_, "population/day", (static_cast<uint64_t>(day) << 32) | index);
    const double midnight = day * 86400.0;
    size_t n = 0;
    double busyUntil = 0.0;  // when the car is expected to arrive from its latest trip
    auto trip = [&](double depart, size_t from, size_t to, const char* purpose) {
        if (from == to) return;
        out.push_back({v.id + ".d" + std::to_string(day) + "." + std::to_string(n++), index, day, depart, from, to, purpose});
        busyUntil = depart + travelSeconds(from, to);
    };
    auto errandPlace = [&] { return this->errandPlace(v, r); };
    auto tour = [&](double start) {  // home -> errand -> home
        const size_t place = errandPlace();
        trip(start, v.home, place, "errand");
        trip(start + travelSeconds(v.home, place) + r.uniform(1200, 5400), place, v.home, "return-home");
    };
    const bool weekend = isWeekend(config_.firstWeekday, day);
    if (!weekend && v.commutes) {
        const double leave = midnight + 3600 * (v.leaveHomeHour + r.normal(0, 0.15));
        const double back = midnight + 3600 * (v.leaveWorkHour + r.normal(0, 0.25));
        trip(leave, v.home, v.work, "commute");
        // A lunchtime errand from work, so that midday traffic is not only people without a
        // commute (the survey's 11:00-14:00 hours carry 6% of the day's trips each).
        // Only between arriving at work and leaving it: a car is never on two trips at once.
        if (!v.worksOutside && r.uniform() < 0.25) {
            const double out = midnight + 3600 * r.uniform(11.5, 13.5);
            const size_t place = errandPlace();
            const double returns = out + travelSeconds(v.work, place) + r.uniform(900, 2700);
            if (out > busyUntil + 1800 && returns + travelSeconds(place, v.work) + 900 < back) {
                trip(out, v.work, place, "errand");
                trip(returns, place, v.work, "return-work");
            }
        }
        if (v.worksOutside) {
            trip(back + 1800, v.workReturn, v.home, "return-home");  // half an hour to get back in
        } else if (r.uniform() < kAfterWorkErrandShare) {
            const size_t place = errandPlace();
            trip(back, v.work, place, "errand");
            trip(back + travelSeconds(v.work, place) + r.uniform(900, 3600), place, v.home, "return-home");
        } else {
            trip(back, v.work, v.home, "return-home");
        }
        if (r.uniform() < kEveningTourShare) {
            const double start = midnight + 3600 * r.uniform(kEveningTourHours[0], kEveningTourHours[1]);
            if (start > busyUntil + 900) tour(start);  // once home again
        }
        return;
    }
    // Weekdays without a commute, and weekends: zero to two errand tours, later on weekends.
    const double u = r.uniform();
    const int tours = u < (weekend ? 0.35 : 0.3) ? 0 : (u < (weekend ? 0.75 : 0.7) ? 1 : 2);
    if (!weekend && !config_.townFiguresFile.empty()) {
        for (double hour : weekdayTourStarts(v, tours, r)) {
            const double start = midnight + 3600 * hour;
            if (hour < kLastTourHour && start > busyUntil + 900) tour(start);
        }
        return;
    }
    for (int t = 0; t < tours; ++t) {
        const double start = midnight + 3600 * ((weekend ? r.uniform(9.5, 15.5) : r.uniform(8.5, 15.0)) + 4.0 * t);
        if (start > busyUntil + 900) tour(start);  // a second tour drawn before the first ends is dropped
    }
}

// When a car without a commute starts its weekday errand tours (hours after midnight, in
// order), with town figures: "nonworkers peak in midday away from rush hour, whereas workers
// peak just after work, indicating trip chaining" (Transportation Research Record 1493, 1995).
// A working driver's car makes the trips a car commuter's makes after work (residentDay), once
// the driver is back by transit or on foot: the errand one in four makes on the way home, from
// home, and the evening tour one in five makes. (With a non-worker's `tours` instead, all in the
// evening, 18:00-21:59 carried 1.3 to 1.6 times the survey's share of the day's departures: 40%
// run of 7 Dec.) A non-worker's car goes out at the hours of the 2001 NHTS's weekday trips of
// persons 66 and over.
std::vector<double> Population::weekdayTourStarts(const PopulationVehicle& v, int tours, Rng& r) const {
    std::vector<double> starts;
    if (v.driverWorks) {
        const double home = v.leaveWorkHour + 0.5;
        if (r.uniform() < kAfterWorkErrandShare) starts.push_back(home + r.uniform(0.0, 1.0));
        if (r.uniform() < kEveningTourShare) {
            const double evening = r.uniform(kEveningTourHours[0], kEveningTourHours[1]);
            if (evening > home) starts.push_back(evening);  // as a commuter's, only once home
        }
    } else {
        for (int t = 0; t < tours; ++t) starts.push_back(nonWorkerTripHour(r));
    }
    std::sort(starts.begin(), starts.end());
    return starts;
}

void Population::throughDay(const PopulationVehicle& v, size_t index, uint32_t day, std::vector<PlannedTrip>& out) const {
    Rng r = Rng::stream(seed_, "population/day", (static_cast<uint64_t>(day) << 32) | index);
    const double midnight = day * 86400.0;
    const bool weekend = isWeekend(config_.firstWeekday, day);
    if (r.uniform() >= (weekend ? 0.25 : 0.85)) return;
    const std::string prefix = v.id + ".d" + std::to_string(day) + ".";
    const double leave = midnight + 3600 * (v.leaveHomeHour + r.normal(0, 0.15));
    out.push_back({prefix + "0", index, day, leave, v.home, v.work, "through"});
    if (weekend) return;
    const double back = midnight + 3600 * (v.leaveWorkHour + r.normal(0, 0.25));
    out.push_back({prefix + "1", index, day, back, v.workReturn, v.homeReturn, "through"});
}

std::vector<PlannedTrip> Population::tripsForDay(uint32_t day) const {
    std::vector<PlannedTrip> trips;
    for (size_t i = 0; i < vehicles_.size(); ++i) {
        if (vehicles_[i].role == VehicleRole::Resident)
            residentDay(vehicles_[i], i, day, trips);
        else
            throughDay(vehicles_[i], i, day, trips);
    }
    std::stable_sort(trips.begin(), trips.end(), [](const PlannedTrip& a, const PlannedTrip& b) {
        return a.depart != b.depart ? a.depart < b.depart : a.trip < b.trip;
    });
    return trips;
}

}  // namespace alprsim
