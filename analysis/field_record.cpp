#include "analysis/field_record.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace alprsim {

namespace {
// Fewer alerts than this leave a share too uncertain to compare (a binomial share from 30
// alerts has a standard error of up to 9 points).
constexpr double kMinAlertsForShare = 30;

const char* const kPatrol = "reads_per_patrol_hour";
const char* const kFixed = "reads_per_fixed_camera_day";
const char* const kHits = "hit_share_of_reads";
const char* const kFalse = "false_alert_share_of_hits";
const char* const kMisread = "misread_share_of_reads";

const nlohmann::json* at(const nlohmann::json& j, const std::string& pointer) {
    const nlohmann::json::json_pointer p(pointer);
    return j.contains(p) && !j.at(p).is_null() ? &j.at(p) : nullptr;
}

double number(const nlohmann::json& j, const std::string& pointer, double otherwise = 0.0) {
    const nlohmann::json* v = at(j, pointer);
    return v && v->is_number() ? v->get<double>() : otherwise;
}

std::string fixed1(double v) { return fmt::format("{:.1f}", v); }
}  // namespace

const std::vector<FieldBand>& fieldBands() {
    static const std::vector<FieldBand> bands = {
        {kPatrol,
         "plates read per patrol-car hour",
         400,
         900,
         500,
         786,
         "reads/hour",
         {"Chelsea MA cruiser, 2013: 786 plates in an hour (MISSION.md)",
          "Montgomery County MD patrol car: 48,101 plates in 96 operating hours, about 500 an hour (MISSION.md)",
          "Maryland, ACLU 'You Are Being Tracked' (2013): about 7,000 plates a shift, about 875 an hour over 8 hours"}},
        {kFixed,
         "plates read per fixed camera per day",
         850,
         14736,
         850,
         14736,
         "reads/camera-day",
         {"Piedmont CA: 39 cameras, over 1M reads a month, about 850 per camera-day (MISSION.md)",
          "Fremont CA: the busiest fixed camera averaged 14,736 reads a day, October 2017 (MISSION.md)"}},
        {kHits,
         "hot-list hits per read",
         0.00028,
         0.002,
         0.00028,
         0.002,
         "share",
         {"Piedmont CA, April 2014: 1,420,244 reads, 400 hits, 0.028% (MISSION.md)",
          "Maryland 2012, ACLU 'You Are Being Tracked' (2013): 0.2% of 29M reads were hits"}},
        {kFalse,
         "hot-list alerts that were false",
         0.05,
         0.35,
         0.10,
         0.20,
         "share",
         {"San Leandro city council report: 5% (Flock's claim) to 35% (a Vallejo study) of ALPR hits in error, most "
          "sources 10-20%; causes: reader errors and erroneous or outdated hot-list entries"}},
        {kMisread,
         "reads whose plate text is wrong",
         0.0,
         0.025,
         0.0,
         0.025,
         "share",
         {"UK police ANPR standard: 97.5% read accuracy, so at most 2.5% of reads wrong (MISSION.md)"}},
    };
    return bands;
}

nlohmann::json compareWithFieldRecord(const nlohmann::json& r) {
    const double hours = (number(r, "/simulated/end_s") - number(r, "/simulated/begin_s")) / 3600.0;
    const double reads = number(r, "/counts/reads");
    const double notRead = number(r, "/counts/captures_not_read");
    // The sensing counts are captures; the share of captures read turns them into reads.
    const double readShare = reads + notRead > 0 ? reads / (reads + notRead) : 0.0;
    const std::string recognition =
        at(r, "/simulated/recognition") ? r.at("/simulated/recognition"_json_pointer).get<std::string>() : "";
    const double alerts = number(r, "/hot_list/alerts", -1);

    nlohmann::json out = nlohmann::json::array();
    for (const FieldBand& band : fieldBands()) {
        nlohmann::json value = nullptr;
        std::string note;
        if (band.figure == kPatrol) {
            if (const nlohmann::json* patrolHours = at(r, "/sensing/patrol/patrol_hours");
                patrolHours && patrolHours->get<double>() > 0) {
                value = number(r, "/sensing/patrol/captured") * readShare / patrolHours->get<double>();
                const double rate = value.get<double>();
                if (rate > band.high)
                    note =
                        "Above the record: each pass along a street reads its parked cars again (a new read each "
                        "time, as in a deployment); the share of parking on the street (0.3) is an assumption, and "
                        "the record's rates are over whole shifts, quiet hours included.";
                else if (rate < band.low)
                    note =
                        "Patrol cars read only the simulated cars: with fewer cars than the town really has "
                        "(brookline-baseline: 3,000 random-trip cars for a town of 58,732 residents) its streets and "
                        "kerbs are thinner than real ones; and they sweep the town's streets evenly, not where cruisers "
                        "read most (parking lots, commercial streets, dense parked rows).";
                else
                    note =
                        "Inside the record with the patrol's modelled time at the kerb (calls, reports, meals: a "
                        "quarter of the shift by default) and kerbs that hold only as many cars as their stalls; the "
                        "share of parking on the street (0.3) is an assumption the rate scales with.";
            } else {
                note = "No patrol cars in this run.";
            }
        } else if (band.figure == kFixed) {
            const double cameras = number(r, "/sensing/fixed/cameras");
            if (cameras > 0 && hours > 0) {
                value = number(r, "/sensing/fixed/captured") * readShare / cameras / (hours / 24.0);
                // A run that ends when its last car arrives falls a little short of a whole day.
                if (hours < 20.0)
                    note = "The run covers " + fixed1(hours) +
                           " simulated hours; the rate is scaled to 24 hours, which "
                           "those hours' traffic overstates or understates.";
            } else {
                note = "No fixed cameras in this run.";
            }
        } else if (band.figure == kHits) {
            if (alerts >= 0 && reads > 0) {
                value = number(r, "/hot_list/hit_share");
                if (alerts < kMinAlertsForShare)
                    note = "Only " + std::to_string(static_cast<long>(alerts)) + " alerts: a rough share.";
            } else {
                note = "No hot list in this run.";
            }
        } else if (band.figure == kFalse) {
            if (alerts > 0) {
                value = number(r, "/hot_list/false_alert_share");
                if (alerts < kMinAlertsForShare)
                    note = "Only " + std::to_string(static_cast<long>(alerts)) + " alerts: too few for the share to mean much.";
            } else {
                note = alerts == 0 ? "The hot list raised no alerts." : "No hot list in this run.";
            }
        } else if (band.figure == kMisread) {
            if (reads > 0) value = number(r, "/counts/reads_misread") / reads;
            if (recognition == "perfect")
                note = "Perfect recognition (every plate read right) is an upper bound: no real reader reads without error.";
        }
        nlohmann::json row = {{"figure", band.figure},
                              {"words", band.words},
                              {"simulated", value},
                              {"band", {band.low, band.high}},
                              {"typical", {band.typicalLow, band.typicalHigh}},
                              {"unit", band.unit},
                              {"sources", band.sources}};
        row["inside"] = value.is_null() ? nlohmann::json(nullptr)
                                        : nlohmann::json(value.get<double>() >= band.low && value.get<double>() <= band.high);
        if (!value.is_null()) row["simulated"] = std::round(value.get<double>() * 1e6) / 1e6;
        row["note"] = note;
        out.push_back(row);
    }
    return out;
}

}  // namespace alprsim
