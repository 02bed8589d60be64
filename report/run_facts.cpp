#include "report/run_facts.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/error.h"

namespace alprsim::report {

namespace {

using nlohmann::json;

// Typed optional access that names the file and JSON pointer when the type is wrong.
class FieldReader {
public:
    FieldReader(const json& doc, std::string file) : doc_(doc), file_(std::move(file)) {}

    const json* find(const std::string& pointer) const {
        const json::json_pointer ptr(pointer);
        return doc_.contains(ptr) && !doc_.at(ptr).is_null() ? &doc_.at(ptr) : nullptr;
    }
    std::optional<double> number(const std::string& pointer) const {
        const json* v = find(pointer);
        if (!v) return std::nullopt;
        if (!v->is_number()) fail(pointer, "a number");
        return v->get<double>();
    }
    std::optional<uint64_t> count(const std::string& pointer) const {
        const json* v = find(pointer);
        if (!v) return std::nullopt;
        if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0)) fail(pointer, "a whole number >= 0");
        return v->get<uint64_t>();
    }
    std::string text(const std::string& pointer) const {
        const json* v = find(pointer);
        if (!v) return "";
        if (!v->is_string()) fail(pointer, "a string");
        return v->get<std::string>();
    }
    std::optional<double> share(const std::string& pointer) const {
        const auto v = number(pointer);
        if (v && (*v < 0 || *v > 1)) fail(pointer, "a share between 0 and 1");
        return v;
    }
    [[noreturn]] void fail(const std::string& pointer, const std::string& expected) const {
        throw InputError(file_, pointer, expected);
    }
    const std::string& file() const { return file_; }

private:
    const json& doc_;
    std::string file_;
};

// "3m", "2d", "3w", "60d", "1y", "forever", as analysis writes retention periods.
std::optional<double> parseRetention(const std::string& text) {
    if (text == "forever") return std::numeric_limits<double>::infinity();
    static const std::map<char, double> unit = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}, {'y', 365 * 86400}};
    if (text.size() < 2 || !unit.count(text.back())) return std::nullopt;
    try {
        size_t used = 0;
        const double n = std::stod(text.substr(0, text.size() - 1), &used);
        if (used != text.size() - 1 || n < 0) return std::nullopt;
        return n * unit.at(text.back());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// metrics.reconstructibility.views[]: each view ("pooled", "local:<agency>") holds by_retention[]
// entries with a retention period and, per section (trips, home, work), share_<metric> numbers;
// unicity holds share_unique per number of points k.
void collectRetentionShares(const FieldReader& r, std::vector<RetentionShare>& out, std::map<std::string, std::string>& sources) {
    const json* views = r.find("/metrics/reconstructibility/views");
    if (!views) return;
    if (!views->is_array()) r.fail("/metrics/reconstructibility/views", "an array of views");
    for (size_t v = 0; v < views->size(); ++v) {
        const std::string base = "/metrics/reconstructibility/views/" + std::to_string(v);
        const std::string view = r.text(base + "/view");
        if (const json* source = r.find(base + "/source/description"); source && source->is_string()) sources[view] = source->get<std::string>();
        const json* entries = r.find(base + "/by_retention");
        if (!entries || !entries->is_array()) r.fail(base + "/by_retention", "an array of results per retention period");
        for (size_t i = 0; i < entries->size(); ++i) {
            const std::string at = base + "/by_retention/" + std::to_string(i);
            const auto seconds = parseRetention(r.text(at + "/retention"));
            if (!seconds) r.fail(at + "/retention", "a retention period such as \"3m\", \"21d\", \"1y\" or \"forever\"");
            const json& entry = (*entries)[i];
            for (const char* section : {"trips", "home", "work"}) {
                if (!entry.contains(section) || !entry[section].is_object()) continue;
                const std::string prefix = std::string(section) == "trips" ? "" : std::string(section) + "_";
                for (const auto& [key, value] : entry[section].items())
                    if (key.rfind("share_", 0) == 0 && value.is_number()) out.push_back({prefix + key.substr(6), view, *seconds, value.get<double>()});
            }
            if (entry.contains("/unicity/by_points"_json_pointer) && entry.at("/unicity/by_points"_json_pointer).is_array())
                for (const json& point : entry.at("/unicity/by_points"_json_pointer))
                    if (point.contains("k") && point.contains("share_unique") && point["share_unique"].is_number())
                        out.push_back({"unique_with_" + point["k"].dump() + "_points", view, *seconds, point["share_unique"].get<double>()});
        }
    }
}

// results.json "hot_list" (runs whose scenario has a stores section): flagged vehicles, how many
// were found (a true alert), and the share of alerts that were misreads.
std::optional<HotListFacts> hotListFacts(const FieldReader& r) {
    const auto flagged = r.count("/hot_list/flagged_vehicles");
    const auto found = r.count("/hot_list/flagged_vehicles_found");
    if (!flagged || !found || *flagged == 0) return std::nullopt;
    if (*found > *flagged) r.fail("/hot_list/flagged_vehicles_found", "at most flagged_vehicles");
    HotListFacts facts;
    facts.detectedShare = double(*found) / double(*flagged);
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
    const FieldReader r(run.results, (run.dir / "results.json").string());
    RunFacts f;
    f.id = run.id;
    f.scenarioName = r.text("/scenario/name");
    f.description = r.text("/scenario/description");
    f.seed = r.count("/seed");
    f.cameras = r.count("/counts/cameras");
    f.placement = r.text("/scenario/cameras/placement");
    f.agency = r.text("/scenario/cameras/agency");
    f.vehicles = r.count("/counts/vehicles");
    f.tripsDeparted = r.count("/metrics/trip_coverage/trips_departed");
    f.shareObserved = r.share("/metrics/trip_coverage/share_observed");
    f.shareLinked = r.share("/metrics/trip_coverage/share_linked");
    f.simulatedBegin = r.number("/simulated/begin_s");
    f.simulatedEnd = r.number("/simulated/end_s");
    f.simulationModel = r.text("/simulated/model");
    f.demandModel = r.text("/scenario/demand/model");
    f.departWindowHours = r.number("/scenario/demand/depart_window_hours");
    f.networkName = r.text("/network/osm");
    f.networkKm = r.number("/network/length_km");
    collectRetentionShares(r, f.retention, f.viewSources);
    if (const json* v = r.find("/metrics/reconstructibility/trip_levels_view"); v && v->is_string()) f.tripLevelsView = v->get<std::string>();
    f.days = r.count("/simulated/days");
    if (const json* definitions = r.find("/metrics/reconstructibility/definitions")) f.definitions = *definitions;
    for (const RetentionShare& s : f.retention)
        if (s.share < 0 || s.share > 1) r.fail("/metrics", "shares between 0 and 1 (found " + s.metric + " = " + std::to_string(s.share) + ")");
    f.hotList = hotListFacts(r);
    f.recognitionMode = r.text("/simulated/recognition");
    if (const json* table = r.find("/field_record")) {
        if (!table->is_array()) r.fail("/field_record", "an array of figures beside their field bands");
        f.fieldRecord = *table;
    }
    f.alerts = r.count("/hot_list/alerts");
    if (const json* causes = r.find("/hot_list/false_alerts_by_cause"); causes && causes->is_object())
        for (const auto& [cause, n] : causes->items())
            if (const auto count = r.count("/hot_list/false_alerts_by_cause/" + cause)) f.falseAlertsByCause[cause] = *count;
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
    for (char& c : plain)
        if (c == '_') c = ' ';
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
