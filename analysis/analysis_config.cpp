#include "analysis/analysis_config.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "store/retention.h"

namespace alprsim {

std::vector<double> AnalysisConfig::defaultRetentions() {
    // New Hampshire (3 minutes), Minnesota State Patrol (48 hours), Maine (21 days), California
    // Highway Patrol (60 days), Amherst's plan and the UK (1 year), Jersey City (5 years), forever.
    return {3 * 60.0, 48 * 3600.0, 21 * 86400.0, 60 * 86400.0, 365 * 86400.0, 5 * 365 * 86400.0, RetentionPolicy::kForever};
}

nlohmann::json AnalysisConfig::toJson() const {
    nlohmann::json retention = nlohmann::json::array();
    for (double r : retentions) retention.push_back(formatDuration(r));
    return {{"observed", "at least 1 correctly attributed read of the trip"},
            {"linked", "at least 2 correctly attributed reads of the trip"},
            {"endpoint_radius_m", endpointRadiusMetres},
            {"route_coverage_share", routeCoverageShare},
            {"path_ambiguity_share", pathAmbiguityShare},
            {"plausible_travel",
             {{"max_speed_factor", maxSpeedFactor},
              {"speed_slack_s", speedSlackSeconds},
              {"max_delay_factor", maxDelayFactor},
              {"max_delay_s", maxDelaySeconds}}},
            {"place_radius_m", placeRadiusMetres},
            {"min_anchor_days", minAnchorDays},
            {"home_hours", {{"morning_before", morningEndHour}, {"evening_from", eveningStartHour}}},
            {"work", {{"dwell_h", workDwellHours}, {"arrive_from_h", workArriveFromHour}, {"arrive_to_h", workArriveToHour}}},
            {"trip_gap_s", tripGapSeconds},
            {"unicity",
             {{"max_points", maxUnicityPoints},
              {"time_bin_s", unicityBinSeconds},
              {"sample_traces", unicitySampleTraces},
              {"seed", seed}}},
            {"retentions", retention}};
}

}  // namespace alprsim
