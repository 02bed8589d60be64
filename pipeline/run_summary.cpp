#include "pipeline/run_summary.h"

#include <fmt/format.h>

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
    std::string what;  // "2.30% of trips teleported", "1.10% of trips never entered the network", or both
    if (teleportedShare > kRealisticShare) what = fmt::format("{:.2f}% of trips teleported", 100 * teleportedShare);
    if (neverEnteredShare > kRealisticShare)
        what += fmt::format("{}{:.2f}% {}never entered the network", what.empty() ? "" : " and ", 100 * neverEnteredShare,
                            what.empty() ? "of trips " : "");
    return fmt::format(
        "Warning: {}, more than the 1% a realistic run stays under: the {} model did not carry this demand on this "
        "network, and what was skipped was seen by no camera. {}\n",
        what, trafficModel, remedy);
}

// The realism check in one line: stuck trips, and how far departure times and trip lengths are
// from the travel survey's.
std::string demandSummary(const nlohmann::json& d, const std::string& trafficModel) {
    const auto& profile = d.at("departure_profile");
    std::string hours;
    for (const char* part : {"weekday", "weekend"}) {
        const std::string key = std::string(part) + "_distance_to_reference";
        if (!profile.contains(key)) continue;
        hours += fmt::format("{}{} {:.1f}%", hours.empty() ? "" : ", ", part, 100 * profile.at(key).get<double>());
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
    if (d.at("trips_never_entered").get<size_t>() > 0)
        notEntered = fmt::format(", {:.2f}% never entered the network ({} trips whose origin stayed full for {:.0f} minutes)",
                                 100 * neverEntered, d.at("trips_never_entered").get<size_t>(), kMaxDepartDelaySeconds / 60);
    return fmt::format(
               "Demand: {:.2f}% of trips teleported{}; departure hours {}; mean trip {:.1f} km (NHTS {:.1f} km, uncut).\n",
               100 * teleported, notEntered, departures, d.at("trip_length_km").at("mean").get<double>(),
               d.at("reference").at("mean_vehicle_trip_km").get<double>()) +
           notCarriedWarning(teleported, neverEntered, trafficModel);
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
    const std::string ended = ran < hours - 0.05 ? fmt::format(" (the last trip ended {:.1f} hours in)", ran) : "";
    return fmt::format(
               "{}: {} vehicles made {} trips over {:.1f} simulated hours{} on {} road edges.\n"
               "{} cameras recorded {} plate reads.\n"
               "{:.1f}% of trips were read at least once; {:.1f}% at least twice (direction and time of travel known).\n"
               "Results: {} (results.json, trips.csv, reads.sqlite, cameras.geojson)\n",
               r.scenario.at("name").get<std::string>(), c.vehicles.value(), c.tripsDeparted.value(), hours, ended,
               r.network.edges.value(), c.cameras.value(), c.reads.value(), 100 * m.at("share_observed").get<double>(),
               100 * m.at("share_linked").get<double>(), outDir.string()) +
           demandSummary(r.demand, r.simulated.model);
}

}  // namespace alprsim
