#include "analysis/place_inference.h"

#include <nlohmann/json.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "core/geo.h"

namespace alprsim {

nlohmann::json PlaceCounts::toJson() const {
    if (!available) return {{"available", false}, {"reason", reason}, {"identities_with_place", identitiesWithPlace}};
    return {{"available", true},
            {"vehicles", vehicles},
            {"inferred", inferred},
            {"correct", correct},
            {"wrong", wrong},
            {"share_correct", vehicles ? double(correct) / vehicles : 0.0},
            {"identities_with_place", identitiesWithPlace}};
}

namespace {
constexpr double kDay = 86400.0;

double hourOfDay(double t) { return std::fmod(t, kDay) / 3600.0; }
long dayOf(double t) { return static_cast<long>(std::floor(t / kDay)); }

// (day, camera) anchors of one plate's reads [first, last), in time order.
void collectAnchors(const AnalysisRead* first, const AnalysisRead* last, PlaceKind kind, const AnalysisConfig& c,
                    std::vector<std::pair<uint32_t, long>>& anchors) {
    for (const AnalysisRead* dayStart = first; dayStart != last;) {
        const long day = dayOf(dayStart->time);
        const AnalysisRead* dayEnd = dayStart;
        while (dayEnd != last && dayOf(dayEnd->time) == day) ++dayEnd;
        if (kind == PlaceKind::Home) {
            const AnalysisRead& morning = *dayStart;
            const AnalysisRead& evening = dayEnd[-1];
            if (hourOfDay(morning.time) < c.morningEndHour) anchors.emplace_back(morning.camera, day);
            if (hourOfDay(evening.time) >= c.eveningStartHour) anchors.emplace_back(evening.camera, day);
        } else {
            for (const AnalysisRead* r = dayStart; r + 1 < dayEnd; ++r) {
                const AnalysisRead& before = r[0];
                const AnalysisRead& after = r[1];
                const double arrive = hourOfDay(before.time);
                if (after.time - before.time >= c.workDwellHours * 3600 && arrive >= c.workArriveFromHour &&
                    arrive < c.workArriveToHour) {
                    anchors.emplace_back(before.camera, day);
                    anchors.emplace_back(after.camera, day);
                }
            }
        }
        dayStart = dayEnd;
    }
}

uint32_t mostAnchoredCamera(std::vector<std::pair<uint32_t, long>>& anchors, int minDays) {
    std::sort(anchors.begin(), anchors.end());
    anchors.erase(std::unique(anchors.begin(), anchors.end()), anchors.end());  // one vote per camera and day
    uint32_t best = kNoIndex;
    size_t bestDays = 0;
    for (size_t i = 0; i < anchors.size();) {
        size_t j = i;
        while (j < anchors.size() && anchors[j].first == anchors[i].first) ++j;
        if (j - i > bestDays) {
            bestDays = j - i;
            best = anchors[i].first;
        }
        i = j;
    }
    return bestDays >= static_cast<size_t>(std::max(minDays, 1)) ? best : kNoIndex;
}
}  // namespace

std::vector<uint32_t> inferPlaces(const ReadsByPlate& byPlate, PlaceKind kind, const AnalysisConfig& config) {
    std::vector<uint32_t> places(byPlate.size(), kNoIndex);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, byPlate.size(), 1024), [&](const tbb::blocked_range<size_t>& range) {
        std::vector<std::pair<uint32_t, long>> anchors;  // reused across the chunk's plates
        for (size_t g = range.begin(); g != range.end(); ++g) {
            anchors.clear();
            collectAnchors(byPlate.rows.data() + byPlate.offsets[g], byPlate.rows.data() + byPlate.offsets[g + 1], kind, config,
                           anchors);
            places[g] = mostAnchoredCamera(anchors, config.minAnchorDays);
        }
    });
    return places;
}

PlaceCounts evaluatePlaces(const AnalysisData& data, const ReadsByPlate& byPlate, PlaceKind kind, const AnalysisConfig& config) {
    const std::vector<uint32_t> places = inferPlaces(byPlate, kind, config);
    PlaceCounts c;
    c.available = data.populationKnown;
    std::vector<uint32_t> placeOfPlate(data.plates.size(), kNoIndex);
    for (size_t g = 0; g < byPlate.size(); ++g) {
        placeOfPlate[byPlate.plates[g]] = places[g];
        c.identitiesWithPlace += places[g] != kNoIndex;
    }
    c.reason = "no vehicles.csv in the run: without a population there are no true homes or work places";
    if (!c.available) return c;
    c.correctByVehicle.assign(data.vehicles.size(), 0);
    for (size_t i = 0; i < data.vehicles.size(); ++i) {
        const AnalysisVehicle& v = data.vehicles[i];
        const uint32_t trueEdge = kind == PlaceKind::Home ? v.homeEdge : v.workEdge;
        if (trueEdge == kNoIndex) continue;
        ++c.vehicles;
        const uint32_t camera = placeOfPlate[v.plate];
        if (camera == kNoIndex) continue;
        ++c.inferred;
        const double metres = haversineMetres(data.cameras[camera].where, data.roads.midpoint(trueEdge));
        c.correctByVehicle[i] = metres <= config.placeRadiusMetres;
        (c.correctByVehicle[i] ? c.correct : c.wrong)++;
    }
    if (c.vehicles == 0) {
        c.available = false;
        c.reason = std::string("no vehicle in vehicles.csv has a ") + (kind == PlaceKind::Home ? "home_edge" : "work_edge");
    }
    return c;
}

}  // namespace alprsim
