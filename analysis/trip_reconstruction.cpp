#include "analysis/trip_reconstruction.h"

#include <nlohmann/json.hpp>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <stdexcept>

namespace alprsim {

std::string_view toString(TripLevel level) {
    switch (level) {
        case TripLevel::Unobserved:
            return "unobserved";
        case TripLevel::Observed:
            return "observed";
        case TripLevel::Linked:
            return "linked";
        case TripLevel::Route:
            return "route";
        case TripLevel::Full:
            return "full";
    }
    return "?";
}

TripLevel TripOutcome::level() const {
    if (routeReconstructed) return endpointsExposed ? TripLevel::Full : TripLevel::Route;
    if (linked()) return TripLevel::Linked;
    if (observed()) return TripLevel::Observed;
    return TripLevel::Unobserved;
}

void checkNesting(const TripOutcome& o, const AnalysisTrip& trip) {
    const char* broken = nullptr;
    if (o.linked() && !o.observed()) broken = "linked but not observed";
    if (o.endpointsExposed && !o.observed()) broken = "endpoints exposed but not observed";
    if (o.routeReconstructed && !o.linked()) broken = "route reconstructed but not linked";
    if (o.routeCoverage > 0 && !o.linked()) broken = "route coverage without two reads";
    if (!trip.departed() && o.observed()) broken = "observed but never departed";
    if (broken) throw std::logic_error("trip " + trip.id + ": " + broken);
}

void TripCounts::add(const TripOutcome& o) {
    ++departed;
    observed += o.observed();
    linked += o.linked();
    endpointsExposed += o.endpointsExposed;
    routeReconstructed += o.routeReconstructed;
    full += o.level() == TripLevel::Full;
    if (o.linked()) coverageSumLinked += o.routeCoverage;
}

nlohmann::json TripCounts::toJson() const {
    auto share = [&](size_t n) { return departed ? double(n) / departed : 0.0; };
    return {{"departed", departed},
            {"observed", observed},
            {"linked", linked},
            {"endpoints_exposed", endpointsExposed},
            {"route_reconstructed", routeReconstructed},
            {"full", full},
            {"share_observed", share(observed)},
            {"share_linked", share(linked)},
            {"share_endpoints_exposed", share(endpointsExposed)},
            {"share_route_reconstructed", share(routeReconstructed)},
            {"share_full", share(full)},
            {"mean_route_coverage_of_linked", linked ? coverageSumLinked / linked : 0.0}};
}

nlohmann::json InferredTripCounts::toJson() const {
    return {{"inferred", inferred},
            {"matched", matched},
            {"fragments", fragments},
            {"merged", merged},
            {"contaminated", contaminated},
            {"wrong_vehicle", wrongVehicle},
            {"share_matched", inferred ? double(matched) / inferred : 0.0}};
}

nlohmann::json IdentityCounts::toJson() const {
    return {{"reads", reads},
            {"reads_correct", readsCorrect},
            {"reads_misread", readsMisread},
            {"reads_misread_as_other_vehicle", misreadAsOtherVehicle},
            {"reads_misread_as_phantom", misreadAsPhantom},
            {"identities", identities},
            {"phantom_identities", phantomIdentities},
            {"vehicles_seen", vehiclesSeen},
            {"vehicles_split_into_several_identities", vehiclesSplit},
            {"identities_mixing_vehicles", identitiesMixingVehicles}};
}

namespace {

// Each trip's correctly attributed reads in the view, in time order (compressed rows by trip).
struct ReadsByTrip {
    std::vector<uint32_t> offsets, reads;
    std::vector<AnalysisRead> rows;  // rows[i] == data.reads[reads[i]], in trip order (read in order)
    std::vector<uint32_t> of(uint32_t trip) const { return {reads.begin() + offsets[trip], reads.begin() + offsets[trip + 1]}; }
    uint32_t count(uint32_t trip) const { return offsets[trip + 1] - offsets[trip]; }
};

ReadsByTrip groupByTrip(const AnalysisData& data, const std::vector<uint32_t>& visible) {
    ReadsByTrip g;
    g.offsets.assign(data.trips.size() + 1, 0);
    // The vehicles' true plates, compact (a read's vehicle is looked up at random).
    std::vector<uint32_t> truePlate(data.vehicles.size());
    for (size_t v = 0; v < data.vehicles.size(); ++v) truePlate[v] = data.vehicles[v].plate;
    auto counts = [&](const AnalysisRead& r) { return r.trip != kNoIndex && r.plate == truePlate[r.vehicle]; };
    for (uint32_t i : visible)
        if (counts(data.reads[i])) ++g.offsets[data.reads[i].trip + 1];
    for (size_t t = 1; t < g.offsets.size(); ++t) g.offsets[t] += g.offsets[t - 1];
    g.reads.resize(g.offsets.back());
    g.rows.resize(g.offsets.back());
    std::vector<uint32_t> next(g.offsets.begin(), g.offsets.end() - 1);
    for (uint32_t i : visible)
        if (counts(data.reads[i])) {
            const uint32_t at = next[data.reads[i].trip]++;
            g.reads[at] = i;
            g.rows[at] = data.reads[i];
        }
    return g;
}

bool nearEndpoints(const AnalysisTrip& trip, const AnalysisRead* first, const AnalysisRead* last, const PathInference& paths,
                   double radius) {
    bool nearOrigin = false, nearDestination = false;
    for (const AnalysisRead* r = first; r != last; ++r) {
        const uint32_t camera = r->camera;
        nearOrigin = nearOrigin || paths.metresFromEdgeStart(trip.route.front(), camera) <= radius;
        nearDestination = nearDestination || paths.metresToEdgeEnd(camera, trip.route.back()) <= radius;
    }
    return nearOrigin && nearDestination;
}

// Per-thread scratch for routeCoverage: edge marks stamped with a per-trip number, so that
// nothing is cleared or allocated per trip.
struct CoverageScratch {
    std::vector<uint32_t> known, counted;  // per road edge: the stamp of the last trip that marked it
    std::vector<uint32_t> routeEdges;
    uint32_t stamp = 0;
};

// Share of the true route's length (each edge once) among the edges the adversary knows: the
// cameras' own edges and the certain edges of every plausible leg.
double routeCoverage(const AnalysisData& data, const AnalysisTrip& trip, const AnalysisRead* first, const AnalysisRead* last,
                     const PathInference& paths, const AnalysisConfig& config, CoverageScratch& scratch) {
    if (last - first < 2) return 0.0;
    if (scratch.known.empty()) {
        scratch.known.assign(data.roads.edges().size(), 0);
        scratch.counted.assign(data.roads.edges().size(), 0);
    }
    if (++scratch.stamp == 0) {  // wrapped: clear the marks once every 4 billion trips
        std::fill(scratch.known.begin(), scratch.known.end(), 0);
        std::fill(scratch.counted.begin(), scratch.counted.end(), 0);
        scratch.stamp = 1;
    }
    const uint32_t stamp = scratch.stamp;
    for (const AnalysisRead* r = first; r != last; ++r) {
        scratch.known[data.cameras[r->camera].edge] = stamp;
        if (r + 1 == last) break;
        const AnalysisRead& a = r[0];
        const AnalysisRead& b = r[1];
        const CameraLeg& leg = paths.leg(a.camera, b.camera);
        if (leg.plausible(b.time - a.time, config))
            for (uint32_t e : leg.certainEdges) scratch.known[e] = stamp;
    }
    // The route's distinct edges, summed in edge order.
    scratch.routeEdges.clear();
    for (uint32_t e : trip.route)
        if (scratch.counted[e] != stamp) {
            scratch.counted[e] = stamp;
            scratch.routeEdges.push_back(e);
        }
    std::sort(scratch.routeEdges.begin(), scratch.routeEdges.end());
    double total = 0.0, covered = 0.0;
    for (uint32_t e : scratch.routeEdges) {
        const double length = data.roads.edges()[e].length;
        total += length;
        if (scratch.known[e] == stamp) covered += length;
    }
    return total > 0 ? covered / total : 0.0;
}

}  // namespace

TripReconstruction reconstructTrips(const AnalysisData& data, const std::vector<uint32_t>& visible, const PathInference& paths,
                                    const AnalysisConfig& config) {
    const ReadsByTrip byTrip = groupByTrip(data, visible);
    TripReconstruction result;
    result.outcomes.resize(data.trips.size());
    tbb::enumerable_thread_specific<CoverageScratch> scratch;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, data.trips.size(), 1024), [&](const tbb::blocked_range<size_t>& range) {
        CoverageScratch& mine = scratch.local();
        for (size_t t = range.begin(); t != range.end(); ++t) {
            const AnalysisTrip& trip = data.trips[t];
            const AnalysisRead* first = byTrip.rows.data() + byTrip.offsets[t];
            const AnalysisRead* last = byTrip.rows.data() + byTrip.offsets[t + 1];
            TripOutcome& o = result.outcomes[t];
            o.reads = static_cast<uint32_t>(last - first);
            if (o.reads == 0) continue;
            o.endpointsExposed = nearEndpoints(trip, first, last, paths, config.endpointRadiusMetres);
            o.routeCoverage = static_cast<float>(routeCoverage(data, trip, first, last, paths, config, mine));
            o.routeReconstructed = o.routeCoverage >= config.routeCoverageShare;
        }
    });
    TripCounts& c = result.counts;
    for (size_t t = 0; t < data.trips.size(); ++t) {
        const TripOutcome& o = result.outcomes[t];
        checkNesting(o, data.trips[t]);
        if (data.trips[t].departed()) c.add(o);
    }
    if (c.linked > c.observed || c.routeReconstructed > c.linked || c.full > c.routeReconstructed ||
        c.endpointsExposed > c.observed)
        throw std::logic_error("trip counts are not nested");
    return result;
}

std::vector<uint32_t> inferredRoute(const AnalysisData& data, const std::vector<uint32_t>& tripReads, const PathInference& paths,
                                    const AnalysisConfig& config) {
    std::vector<uint32_t> edges;
    for (size_t i = 0; i < tripReads.size(); ++i) {
        const AnalysisRead& a = data.reads[tripReads[i]];
        const uint32_t cameraEdge = data.cameras[a.camera].edge;
        if (edges.empty() || edges.back() != cameraEdge) edges.push_back(cameraEdge);
        if (i + 1 == tripReads.size()) break;
        const AnalysisRead& b = data.reads[tripReads[i + 1]];
        const CameraLeg& leg = paths.leg(a.camera, b.camera);
        if (!leg.plausible(b.time - a.time, config)) continue;
        for (uint32_t e : leg.fastestEdges)
            if (edges.back() != e) edges.push_back(e);
    }
    return edges;
}

InferredTripCounts splitAndMatchTrips(const AnalysisData& data, const ReadsByPlate& byPlate, const TripReconstruction& truth,
                                      const AnalysisConfig& config) {
    InferredTripCounts c;
    std::vector<std::pair<uint32_t, uint32_t>> readsPerVehicle;
    auto classify = [&](uint32_t identity, const AnalysisRead* first, const AnalysisRead* last) {
        ++c.inferred;
        readsPerVehicle.clear();  // (vehicle, reads): a trip holds few vehicles, so a flat list
        bool contaminated = false;
        for (const AnalysisRead* r = first; r != last; ++r) {
            const uint32_t vehicle = r->vehicle;
            auto it =
                std::find_if(readsPerVehicle.begin(), readsPerVehicle.end(), [&](const auto& p) { return p.first == vehicle; });
            if (it == readsPerVehicle.end())
                readsPerVehicle.emplace_back(vehicle, 1);
            else
                ++it->second;
            contaminated = contaminated || r->plate != data.vehicles[vehicle].plate;
        }
        // Most reads decide whose trip it is; ties go to the lowest vehicle index (reproducible).
        std::pair<uint32_t, uint32_t> majority{kNoIndex, 0};
        for (const auto& p : readsPerVehicle)
            if (p.second > majority.second || (p.second == majority.second && p.first < majority.first)) majority = p;
        if (data.vehicles[majority.first].plate != identity) ++c.wrongVehicle;
        if (contaminated) {
            ++c.contaminated;
            return;
        }
        const uint32_t trip = first->trip;
        const bool oneTrip = trip != kNoIndex && std::all_of(first, last, [&](const AnalysisRead& r) { return r.trip == trip; });
        if (!oneTrip)
            ++c.merged;
        else if (truth.outcomes[trip].reads == static_cast<uint32_t>(last - first))
            ++c.matched;
        else
            ++c.fragments;
    };
    for (size_t g = 0; g < byPlate.size(); ++g) {
        const AnalysisRead* begin = byPlate.rows.data() + byPlate.offsets[g];
        const AnalysisRead* end = byPlate.rows.data() + byPlate.offsets[g + 1];
        const AnalysisRead* start = begin;
        for (const AnalysisRead* r = begin + 1; r <= end; ++r)
            if (r == end || r->time - r[-1].time > config.tripGapSeconds) {
                classify(byPlate.plates[g], start, r);
                start = r;
            }
    }
    return c;
}

IdentityCounts countIdentityErrors(const AnalysisData& data, const ReadsByPlate& byPlate) {
    std::vector<char> isTruePlate(data.plates.size(), 0);
    for (const AnalysisVehicle& v : data.vehicles) isTruePlate[v.plate] = 1;
    IdentityCounts c;
    std::vector<std::pair<uint32_t, uint32_t>> vehiclePlates;  // (vehicle, plate as read)
    for (size_t g = 0; g < byPlate.size(); ++g) {
        const uint32_t plate = byPlate.plates[g];
        ++c.identities;
        c.phantomIdentities += !isTruePlate[plate];
        const size_t before = vehiclePlates.size();
        for (uint32_t i = byPlate.offsets[g]; i < byPlate.offsets[g + 1]; ++i) {
            const AnalysisRead& r = byPlate.rows[i];
            ++c.reads;
            if (data.correctlyRead(r))
                ++c.readsCorrect;
            else {
                ++c.readsMisread;
                (isTruePlate[plate] ? c.misreadAsOtherVehicle : c.misreadAsPhantom)++;
            }
            const bool known = std::any_of(vehiclePlates.begin() + before, vehiclePlates.end(),
                                           [&](const auto& p) { return p.first == r.vehicle; });
            if (!known) vehiclePlates.emplace_back(r.vehicle, plate);
        }
        c.identitiesMixingVehicles += vehiclePlates.size() - before >= 2;
    }
    std::sort(vehiclePlates.begin(), vehiclePlates.end());
    vehiclePlates.erase(std::unique(vehiclePlates.begin(), vehiclePlates.end()), vehiclePlates.end());
    for (size_t i = 0; i < vehiclePlates.size();) {
        size_t j = i;
        while (j < vehiclePlates.size() && vehiclePlates[j].first == vehiclePlates[i].first) ++j;
        ++c.vehiclesSeen;
        c.vehiclesSplit += (j - i) >= 2;
        i = j;
    }
    return c;
}

}  // namespace alprsim
