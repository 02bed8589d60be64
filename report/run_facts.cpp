#include "report/run_facts.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "run_folder/run_folder.h"
#include "run_folder/run_results.h"
#include "store/retention.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

// metrics.reconstructibility.views[]: each view ("pooled", "local:<agency>") holds by_retention[]
// entries with a retention period and, per section (trips, home, work), share_<metric> numbers;
// unicity holds share_unique per number of points k.
void collectRetentionShares(const JsonFields& r, std::vector<RetentionShare>& out, std::map<std::string, std::string>& sources) {
    const json* views = r.find("/metrics/reconstructibility/views");
    if (!views) return;
    if (!views->is_array()) r.fail("/metrics/reconstructibility/views", "an array of views");
    for (size_t v = 0; v < views->size(); ++v) {
        const std::string base = "/metrics/reconstructibility/views/" + std::to_string(v);
        const std::string view = r.text(base + "/view");
        if (const json* source = r.find(base + "/source/description"); source && source->is_string())
            sources[view] = source->get<std::string>();
        const json* entries = r.find(base + "/by_retention");
        if (!entries || !entries->is_array()) r.fail(base + "/by_retention", "an array of results per retention period");
        for (size_t i = 0; i < entries->size(); ++i) {
            const std::string at = base + "/by_retention/" + std::to_string(i);
            const auto seconds = parseDuration(r.text(at + "/retention"));  // as analysis writes them
            if (!seconds) r.fail(at + "/retention", "a retention period such as \"3m\", \"21d\", \"1y\" or \"forever\"");
            const json& entry = (*entries)[i];
            for (const char* section : {"trips", "home", "work"}) {
                if (!entry.contains(section) || !entry[section].is_object()) continue;
                const std::string prefix = std::string(section) == "trips" ? "" : std::string(section) + "_";
                for (const auto& [key, value] : entry[section].items())
                    if (key.rfind("share_", 0) == 0 && value.is_number())
                        out.push_back({prefix + key.substr(6), view, *seconds, value.get<double>()});
            }
            if (entry.contains("/unicity/by_points"_json_pointer) && entry.at("/unicity/by_points"_json_pointer).is_array())
                for (const json& point : entry.at("/unicity/by_points"_json_pointer))
                    if (point.contains("k") && point.contains("share_unique") && point["share_unique"].is_number())
                        out.push_back({"unique_with_" + point["k"].dump() + "_points", view, *seconds,
                                       point["share_unique"].get<double>()});
        }
    }
}

// Flagged vehicles, how many were found (a true alert), and the share of alerts that were
// misreads (runs whose scenario has a stores section).
std::optional<HotListFacts> hotListFacts(const HotListResults& h, const JsonFields& r) {
    if (!h.flaggedVehicles || !h.flaggedVehiclesFound || *h.flaggedVehicles == 0) return std::nullopt;
    if (*h.flaggedVehiclesFound > *h.flaggedVehicles) r.fail("/hot_list/flagged_vehicles_found", "at most flagged_vehicles");
    HotListFacts facts;
    facts.detectedShare = double(*h.flaggedVehiclesFound) / double(*h.flaggedVehicles);
    facts.falseAlertShare = r.share("/hot_list/false_alert_share");
    return facts;
}

}  // namespace

std::string RunFacts::mainView() const {
    std::set<std::string> views;
    for (const RetentionShare& s : retention) views.insert(s.view);
    if (!tripLevelsView.empty() && views.count(tripLevelsView)) return tripLevelsView;
    return views.count("pooled") || views.empty() ? "pooled" : *views.begin();
}

int RunFacts::simulatedDays() const {
    if (days) return static_cast<int>(*days);
    if (!simulatedBegin || !simulatedEnd || *simulatedEnd <= *simulatedBegin) return 0;
    constexpr double day = 86400;
    return static_cast<int>(std::ceil(*simulatedEnd / day) - std::floor(*simulatedBegin / day));
}

RunFacts extractRunFacts(const ReportRun& run) {
    const JsonFields r(run.results, RunFolder(run.dir).results().string());
    const RunResults results = readRunResults(run.results, r.file());
    RunFacts f;
    f.id = run.id;
    // The scenario as given: its keys are the scenario format's (scenarios/schema).
    f.scenarioName = r.text("/scenario/name");
    f.description = r.text("/scenario/description");
    f.placement = r.text("/scenario/cameras/placement");
    f.agency = r.text("/scenario/cameras/agency");
    f.demandModel = r.text("/scenario/demand/model");
    f.departWindowHours = r.number("/scenario/demand/depart_window_hours");
    f.seed = results.seed;
    f.cameras = results.counts.cameras;
    f.vehicles = results.counts.vehicles;
    f.tripsDeparted = r.count("/metrics/trip_coverage/trips_departed");
    f.shareObserved = r.share("/metrics/trip_coverage/share_observed");
    f.shareLinked = r.share("/metrics/trip_coverage/share_linked");
    f.simulatedBegin = results.simulated.beginSeconds;
    f.simulatedEnd = results.simulated.endSeconds;
    f.simulationModel = results.simulated.model;
    f.days = results.simulated.days;
    f.recognitionMode = results.simulated.recognition;
    f.networkName = results.network.osm;
    f.networkKm = results.network.lengthKm;
    collectRetentionShares(r, f.retention, f.viewSources);
    if (const json* v = r.find("/metrics/reconstructibility/trip_levels_view"); v && v->is_string())
        f.tripLevelsView = v->get<std::string>();
    if (const json* definitions = r.find("/metrics/reconstructibility/definitions")) f.definitions = *definitions;
    for (const RetentionShare& s : f.retention)
        if (s.share < 0 || s.share > 1)
            r.fail("/metrics", "shares between 0 and 1 (found " + s.metric + " = " + std::to_string(s.share) + ")");
    if (!results.fieldRecord.is_null() && !results.fieldRecord.is_array())
        r.fail("/field_record", "an array of figures beside their field bands");
    f.fieldRecord = results.fieldRecord;
    if (results.hotList) {
        f.hotList = hotListFacts(*results.hotList, r);
        f.alerts = results.hotList->alerts;
        f.falseAlertsByCause = results.hotList->falseAlertsByCause;
    }
    return f;
}

std::vector<RunFacts> extractAllFacts(const std::vector<ReportRun>& runs) {
    std::vector<RunFacts> facts;
    std::map<std::string, int> nameUses;
    for (const ReportRun& run : runs) {
        facts.push_back(extractRunFacts(run));
        ++nameUses[facts.back().scenarioName];
    }
    for (RunFacts& f : facts) {
        const bool unique = !f.scenarioName.empty() && nameUses[f.scenarioName] == 1;
        f.label = unique ? f.scenarioName : (f.scenarioName.empty() ? f.id : f.scenarioName + " (" + f.id + ")");
    }
    return facts;
}

std::string metricWords(const std::string& metric) {
    static const std::map<std::string, std::string> words = {
        {"observed", "seen by at least one camera"},
        {"linked", "seen by two or more cameras"},
        {"endpoints_exposed", "start and end both exposed"},
        {"route_reconstructed", "route reconstructed"},
        {"home_inferred", "home found"},
        {"work_inferred", "workplace found"},
    };
    const auto it = words.find(metric);
    if (it != words.end()) return it->second;
    std::string plain = metric;
    std::replace(plain.begin(), plain.end(), '_', ' ');
    return plain;
}

std::string placementWords(const std::string& placement) {
    static const std::map<std::string, std::string> words = {
        {"busiest-edges", "on the busiest roads"},
        {"volume", "on the busiest roads"},
        {"list", "at chosen sites"},
        {"border", "at the town border"},
        {"betweenness", "on the roads most routes cross"},
        {"random", "at random places"},
        {"agencies", "in the towns that run ALPR"},
        {"patrol", "on patrol cars"},
    };
    const auto it = words.find(placement);
    return it != words.end() ? it->second : (placement.empty() ? "" : "placed by \"" + placement + "\"");
}

}  // namespace alprsim::report
