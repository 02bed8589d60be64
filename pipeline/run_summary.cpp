#include "pipeline/run_summary.h"

#include <cstdio>

#include "sim/simulation.h"  // kMaxDepartDelaySeconds

namespace alprsim {

namespace fs = std::filesystem;

namespace {

// A run whose vehicles were teleported out of jams, or never got onto the road, did not drive
// the demand it was given: the jumped stretches and the trips not made are seen by no camera.
// Past 1% (the bound the realism check holds a run to) the figures need a caveat.
std::string notCarriedWarning(double teleportedShare, double neverEnteredShare, const std::string& trafficModel) {
    constexpr double kRealisticShare = 0.01;
    if (teleportedShare <= kRealisticShare && neverEnteredShare <= kRealisticShare) return "";
    const char* remedy = trafficModel == "microscopic"
                             ? "Drivers who look for faster routes (simulation.reroute_period_s) or the mesoscopic model carry "
                               "more (docs/measurements.md)."
                             : "Fewer vehicles, or their departures spread over more time, would be carried.";
    char buf[640];
    std::string what;  // "2.30% of trips teleported", "1.10% of trips never entered the network", or both
    if (teleportedShare > kRealisticShare) {
        std::snprintf(buf, sizeof buf, "%.2f%% of trips teleported", 100 * teleportedShare);
        what = buf;
    }
    if (neverEnteredShare > kRealisticShare) {
        std::snprintf(buf, sizeof buf, "%s%.2f%% %snever entered the network", what.empty() ? "" : " and ",
                      100 * neverEnteredShare, what.empty() ? "of trips " : "");
        what += buf;
    }
    std::snprintf(buf, sizeof buf,
                  "Warning: %s, more than the 1%% a realistic run stays under: the %s model did not carry this demand on this "
                  "network, and what was skipped was seen by no camera. %s\n",
                  what.c_str(), trafficModel.c_str(), remedy);
    return buf;
}

// The realism check in one line: stuck trips, and how far departure times and trip lengths are
// from the travel survey's.
std::string demandSummary(const nlohmann::json& d, const std::string& trafficModel) {
    char buf[512];
    const auto& profile = d.at("departure_profile");
    std::string hours;
    for (const char* part : {"weekday", "weekend"}) {
        const std::string key = std::string(part) + "_distance_to_reference";
        if (!profile.contains(key)) continue;
        std::snprintf(buf, sizeof buf, "%s%s %.1f%%", hours.empty() ? "" : ", ", part, 100 * profile.at(key).get<double>());
        hours += buf;
    }
    // Only a population's day has a daily departure profile to compare; other demand models
    // depart evenly over a window, and a distance to the survey's day would only mislead.
    const std::string model = d.at("model").get<std::string>();
    const std::string departures =
        model == "population" ? "differ from the 2001 NHTS profile by " + (hours.empty() ? "-" : hours + " of trips")
                              : "not compared with the 2001 NHTS profile (" + model + " demand departs evenly over its window)";
    const double teleported = d.at("teleported_share").get<double>();
    const double neverEntered = d.at("never_entered_share").get<double>();
    std::string notEntered;
    if (d.at("trips_never_entered").get<size_t>() > 0) {
        std::snprintf(buf, sizeof buf, ", %.2f%% never entered the network (%zu trips whose origin stayed full for %.0f minutes)",
                      100 * neverEntered, d.at("trips_never_entered").get<size_t>(), kMaxDepartDelaySeconds / 60);
        notEntered = buf;
    }
    std::snprintf(buf, sizeof buf,
                  "Demand: %.2f%% of trips teleported%s; departure hours %s; mean trip %.1f km (NHTS %.1f km, uncut).\n",
                  100 * teleported, notEntered.c_str(), departures.c_str(), d.at("trip_length_km").at("mean").get<double>(),
                  d.at("reference").at("mean_vehicle_trip_km").get<double>());
    return buf + notCarriedWarning(teleported, neverEntered, trafficModel);
}

}  // namespace

std::string plainSummary(const RunResults& r, const fs::path& outDir) {
    const RunCounts& c = r.counts;
    const nlohmann::json& m = r.metrics.tripCoverage;
    // The scenario's period, not the time the last trip ended (the run stops once every trip
    // has ended: a 1-hour scenario whose trips all end 36 minutes in is still a 1-hour scenario).
    const double ran = (r.simulated.endSeconds.value() - r.simulated.beginSeconds.value()) / 3600;
    const nlohmann::json* duration = r.scenario.contains("time") ? &r.scenario.at("time") : nullptr;
    const double hours = duration && duration->contains("duration_hours") && duration->at("duration_hours").is_number()
                             ? duration->at("duration_hours").get<double>()
                             : ran;
    char ended[96] = "";
    if (ran < hours - 0.05) std::snprintf(ended, sizeof ended, " (the last trip ended %.1f hours in)", ran);
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "%s: %zu vehicles made %zu trips over %.1f simulated hours%s on %zu road edges.\n"
                  "%zu cameras recorded %zu plate reads.\n"
                  "%.1f%% of trips were read at least once; %.1f%% at least twice (direction and time of travel known).\n"
                  "Results: %s (results.json, trips.csv, reads.sqlite, cameras.geojson)\n",
                  r.scenario.at("name").get<std::string>().c_str(), static_cast<size_t>(c.vehicles.value()),
                  static_cast<size_t>(c.tripsDeparted.value()), hours, ended, static_cast<size_t>(r.network.edges.value()),
                  static_cast<size_t>(c.cameras.value()), static_cast<size_t>(c.reads.value()),
                  100 * m.at("share_observed").get<double>(), 100 * m.at("share_linked").get<double>(), outDir.string().c_str());
    return buf + demandSummary(r.demand, r.simulated.model);
}

}  // namespace alprsim
