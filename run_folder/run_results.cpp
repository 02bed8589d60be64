#include "run_folder/run_results.h"

#include <type_traits>

#include "core/error.h"
#include "run_folder/run_folder.h"

namespace alprsim {

using nlohmann::json;

namespace {

// results.json's typed sections, each walked by one `fields` that names its keys: writing and
// reading go through the same list, so a key is spelled once.
template <class T>
constexpr bool kSection = std::is_same_v<T, NetworkResults> || std::is_same_v<T, SimulatedResults> ||
                          std::is_same_v<T, RunCounts> || std::is_same_v<T, HotListResults> || std::is_same_v<T, RunMetrics> ||
                          std::is_same_v<T, RunResults> || std::is_same_v<T, AgencyResults>;

template <class S, class T>
concept Is = std::is_same_v<std::remove_const_t<S>, T>;

template <Is<NetworkResults> S, class V>
void fields(S& n, V&& v) {
    v("osm", n.osm);
    v("region", n.region);
    v("edges", n.edges);
    v("length_km", n.lengthKm);
    v("edges_by_town", n.edgesByTown);
}

template <Is<SimulatedResults> S, class V>
void fields(S& s, V&& v) {
    v("begin_s", s.beginSeconds);
    v("end_s", s.endSeconds);
    v("steps", s.steps);
    v("days", s.days);
    v("day_processes", s.dayProcesses);
    v("model", s.model);
    v("recognition", s.recognition);
}

template <Is<RunCounts> S, class V>
void fields(S& c, V&& v) {
    v("vehicles", c.vehicles);
    v("cameras", c.cameras);
    v("reads", c.reads);
    v("trips_planned", c.tripsPlanned);
    v("trips_departed", c.tripsDeparted);
    v("trips_completed", c.tripsCompleted);
    v("trips_teleported", c.tripsTeleported);
    v("trips_rerouted", c.tripsRerouted);
    v("trips_unroutable", c.tripsUnroutable);
    v("reads_correct", c.readsCorrect);
    v("reads_misread", c.readsMisread);
    v("captures_not_read", c.capturesNotRead);
}

template <Is<HotListResults> S, class V>
void fields(S& h, V&& v) {
    v("reads_recorded", h.readsRecorded);
    v("alerts", h.alerts);
    v("true_alerts", h.trueAlerts);
    v("false_alerts", h.falseAlerts);
    v("hit_share", h.hitShare);
    v("false_alert_share", h.falseAlertShare);
    v("false_alerts_by_cause", h.falseAlertsByCause);
    v("false_alert_share_by_cause", h.falseAlertShareByCause);
    v("false_alert_causes", h.falseAlertCauses);
    v("entries_outside_simulation", h.entriesOutsideSimulation);
    v("flagged_vehicles", h.flaggedVehicles);
    v("flagged_vehicles_found", h.flaggedVehiclesFound);
    v("maryland_hit_share", h.marylandHitShare);
}

template <Is<AgencyResults> S, class V>
void fields(S& a, V&& v) {
    v("program", a.program);
    v("program_source", a.programSource);
    v("fixed", a.fixed);
    v("patrol", a.patrol);
    v("sharing", a.sharing);
    v("shares_with", a.sharesWith);
}

template <Is<RunMetrics> S, class V>
void fields(S& m, V&& v) {
    v("trip_coverage", m.tripCoverage);
    v("reconstructibility", m.reconstructibility);
}

template <Is<RunResults> S, class V>
void fields(S& r, V&& v) {
    v("alprsim_version", r.alprsimVersion);
    v("scenario_file", r.scenarioFile);
    v("scenario", r.scenario);
    v("seed", r.seed);
    v("network", r.network);
    v("simulated", r.simulated);
    v("counts", r.counts);
    v("demand", r.demand);
    v("metrics", r.metrics);
    v("sensing", r.sensing);
    v("hot_list", r.hotList);
    v("field_record", r.fieldRecord);
    v("agencies", r.agencies);
}

// Writes what is present; an absent typed section is null (the file says "none"), an absent
// value or JSON section is left out.
struct Writer {
    json& out;

    template <class T>
    static json toJson(const T& value) {
        if constexpr (kSection<T>) {
            json section = json::object();
            fields(value, Writer{section});
            return section;
        } else {
            return json(value);
        }
    }
    template <class T>
    void operator()(const char* key, const std::optional<T>& value) {
        if (value)
            out[key] = toJson(*value);
        else if constexpr (kSection<T>)
            out[key] = nullptr;
    }
    void operator()(const char* key, const std::string& value) {
        if (!value.empty()) out[key] = value;
    }
    void operator()(const char* key, const json& value) {
        if (!value.is_null()) out[key] = value;
    }
    template <class T>
    void operator()(const char* key, const std::map<std::string, T>& values) {
        json object = json::object();
        for (const auto& [name, value] : values) object[name] = toJson(value);
        out[key] = std::move(object);
    }
    template <class T>
    void operator()(const char* key, const T& value) {
        out[key] = toJson(value);
    }
};

// Reads what is there, checking types; names the file and pointer of a field that is wrong.
struct Reader {
    const JsonFields& doc;
    std::string base;  // the section's JSON pointer

    std::string at(const std::string& key) const { return (json::json_pointer(base) / key).to_string(); }

    void operator()(const char* key, std::optional<uint64_t>& value) const { value = doc.count(at(key)); }
    void operator()(const char* key, std::optional<double>& value) const { value = doc.number(at(key)); }
    void operator()(const char* key, std::string& value) const { value = doc.text(at(key)); }
    void operator()(const char* key, json& value) const {
        if (const json* found = doc.find(at(key))) value = *found;
    }
    template <class T>
    void operator()(const char* key, std::map<std::string, T>& values) const {
        const json* object = doc.find(at(key));
        if (!object) return;
        if (!object->is_object()) doc.fail(at(key), "an object");
        for (const auto& [name, unused] : object->items()) {
            std::optional<T> value;
            Reader{doc, at(key)}(name.c_str(), value);
            if (value) values[name] = *value;
        }
    }
    template <class T>
    void operator()(const char* key, std::optional<T>& section) const requires kSection<T> {
        const json* found = doc.find(at(key));
        if (!found) return;
        if (!found->is_object()) doc.fail(at(key), "an object");
        fields(section.emplace(), Reader{doc, at(key)});
    }
    template <class T>
    void operator()(const char* key, T& section) const requires kSection<T> {
        fields(section, Reader{doc, at(key)});
    }
};

}  // namespace

void to_json(json& j, const RunResults& r) { j = Writer::toJson(r); }

RunResults readRunResults(const json& doc, const std::string& file) {
    if (!doc.is_object()) throw InputError(file, "", "a JSON object written by alprsim run");
    const JsonFields fieldsOf(doc, file);
    RunResults r;
    fields(r, Reader{fieldsOf, ""});
    return r;
}

void from_json(const json& j, RunResults& r) { r = readRunResults(j, RunFolder::kResults); }

const json* JsonFields::find(const std::string& pointer) const {
    const json::json_pointer ptr(pointer);
    return doc_.contains(ptr) && !doc_.at(ptr).is_null() ? &doc_.at(ptr) : nullptr;
}

std::optional<double> JsonFields::number(const std::string& pointer) const {
    const json* v = find(pointer);
    if (!v) return std::nullopt;
    if (!v->is_number()) fail(pointer, "a number");
    return v->get<double>();
}

std::optional<uint64_t> JsonFields::count(const std::string& pointer) const {
    const json* v = find(pointer);
    if (!v) return std::nullopt;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0)) fail(pointer, "a whole number >= 0");
    return v->get<uint64_t>();
}

std::optional<double> JsonFields::share(const std::string& pointer) const {
    const auto v = number(pointer);
    if (v && (*v < 0 || *v > 1)) fail(pointer, "a share between 0 and 1");
    return v;
}

std::string JsonFields::text(const std::string& pointer) const {
    const json* v = find(pointer);
    if (!v) return "";
    if (!v->is_string()) fail(pointer, "a string");
    return v->get<std::string>();
}

void JsonFields::fail(const std::string& pointer, const std::string& expected) const {
    throw InputError(file_, pointer, expected);
}

}  // namespace alprsim
