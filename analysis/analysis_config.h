#pragma once
// The thresholds that define what "reconstructible" means (see docs/metrics.md). Every
// number the definitions use lives here, so a report can state them and a sweep can vary them.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace alprsim {

struct AnalysisConfig {
    // Endpoints exposed: a read within this road distance of the origin, and one of the destination.
    double endpointRadiusMetres = 500.0;
    // Route reconstructed: the inferred path covers at least this share of the true route's length.
    double routeCoverageShare = 0.8;
    // Two paths whose free-flow travel times differ by less than this share are indistinguishable
    // to the adversary: only road edges every such path uses count as reconstructed.
    double pathAmbiguityShare = 0.05;
    // Plausible travel time between consecutive reads: the fastest path's free-flow time is at most
    // elapsed * maxSpeedFactor + slack (nobody drives much faster than the limit) and the elapsed time
    // at most freeFlow * maxDelayFactor + maxDelaySeconds (longer means a stop or a detour in between).
    double maxSpeedFactor = 1.3;
    double speedSlackSeconds = 10.0;
    double maxDelayFactor = 4.0;
    double maxDelaySeconds = 600.0;
    // Home and work: the inferred place lies within this distance (straight line) of the true one.
    double placeRadiusMetres = 500.0;
    // A place is inferred only when it is an anchor on at least this many distinct days.
    int minAnchorDays = 2;
    // Home anchors: the day's first read if before morningEndHour, the last if after eveningStartHour.
    double morningEndHour = 12.0;
    double eveningStartHour = 15.0;
    // Work anchors: the reads around a daytime stop of at least workDwellHours that starts between
    // workArriveFromHour and workArriveToHour.
    double workDwellHours = 4.0;
    double workArriveFromHour = 5.0;
    double workArriveToHour = 12.0;
    // The adversary's own trip rule: a plate's reads more than this far apart start a new trip.
    double tripGapSeconds = 1800.0;
    // Unicity (de Montjoye et al. 2013): k = 1..maxUnicityPoints random points, place = camera,
    // time = a bin of unicityBinSeconds.
    int maxUnicityPoints = 5;
    double unicityBinSeconds = 3600.0;
    size_t unicitySampleTraces = 10000;  // traces tested at most (a seeded random sample)
    uint64_t seed = 1;
    // Retention periods (seconds, infinity for forever) each metric is reported for.
    std::vector<double> retentions = defaultRetentions();
    // When the adversary looks (simulated seconds); default: the end of the run.
    std::optional<double> auditTime;
    // How many example trips the GeoJSON holds.
    size_t exampleTrips = 10;

    static std::vector<double> defaultRetentions();
    nlohmann::json toJson() const;
};

}  // namespace alprsim
