#include "scenarios/scenario.h"

#include <cctype>

#include "core/error.h"
#include "core/files.h"
#include "core/json_reader.h"
#include "scenarios/scenario_extends.h"
#include "sim/net_import.h"

namespace alprsim {

namespace {

std::string lowerCase(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

fs::path resolveDataFile(JsonObjectReader& obj, const std::string& key, const fs::path& scenarioDir) {
    const std::string name = obj.requiredString(key);
    const auto searchPath = dataSearchPath(scenarioDir);
    const fs::path found = findDataFile(name, searchPath);
    if (!found.empty()) return found;
    std::string tried;
    std::error_code ec;
    for (const fs::path& dir : searchPath) {
        const fs::path candidate = (fs::path(name).is_absolute() ? fs::path(name) : dir / name).lexically_normal();
        // Something by that name that is not a file: say what it is, not that it is missing.
        if (fs::is_directory(candidate, ec))
            throw InputError(obj.file(), obj.pathOf(key), "a file; " + candidate.string() + " is a folder");
        if (fs::exists(candidate, ec))
            throw InputError(obj.file(), obj.pathOf(key),
                             "a regular file; " + candidate.string() + " is a device, pipe or socket");
        tried += "\n  " + candidate.string();
    }
    throw InputError(obj.file(), obj.pathOf(key), "an existing file; \"" + name + "\" was not found at:" + tried);
}

// "region": several towns' extracts joined into one network (sim/region_osm.h).
void readRegion(JsonObjectReader& obj, Scenario& s) {
    constexpr size_t kMaxRegionTowns = 32;
    const nlohmann::json& towns = obj.requiredArray("region", kMaxRegionTowns);
    if (towns.empty()) throw InputError(obj.file(), obj.pathOf("region"), "at least one {\"town\", \"osm\"} entry");
    for (size_t i = 0; i < towns.size(); ++i) {
        if (!towns[i].is_object())
            throw InputError(obj.file(), obj.pathOf("region/" + std::to_string(i)), "an object {\"town\", \"osm\"}");
        JsonObjectReader town(towns[i], obj.file(), obj.pathOf("region/" + std::to_string(i)));
        TownExtract extract{town.requiredString("town"), resolveDataFile(town, "osm", s.file.parent_path())};
        for (const TownExtract& earlier : s.region)
            if (lowerCase(earlier.town) == lowerCase(extract.town))
                throw InputError(obj.file(), town.pathOf("town"), "each town once; " + extract.town + " is listed twice");
        s.region.push_back(extract);
        town.finish();
    }
}

void readNetwork(JsonObjectReader obj, Scenario& s) {
    const fs::path dir = s.file.parent_path();
    if (obj.has("region") == obj.has("osm"))
        throw InputError(obj.file(), obj.path(), "either \"osm\" (one extract) or \"region\" (towns and their extracts)");
    if (obj.has("region"))
        readRegion(obj, s);
    else
        s.osmFile = resolveDataFile(obj, "osm", dir);
    if (obj.has("towns")) {
        s.townsFile = resolveDataFile(obj, "towns", dir);
    } else {
        const fs::path found = findDataFile("ma/towns.geojson", dataSearchPath(dir));
        if (found.empty())
            throw InputError(obj.file(), obj.pathOf("towns"),
                             "a towns GeoJSON file (ma/towns.geojson was not found on the data path)");
        s.townsFile = found;
    }
    obj.finish();
}

void readTime(JsonObjectReader obj, Scenario& s) {
    const double startHour = obj.requiredNumber("start_hour", 0, 24 * 366);
    const double hours = obj.requiredNumber("duration_hours", 0.01, ScenarioLimits::kMaxHours);
    s.beginSeconds = startHour * 3600;
    s.endSeconds = s.beginSeconds + hours * 3600;
    obj.finish();
}

void readSimulation(JsonObjectReader obj, Scenario& s) {
    if (obj.has("model")) s.mesoscopic = obj.requiredChoice("model", {"microscopic", "mesoscopic"}) == "mesoscopic";
    s.stepLength = obj.optionalNumber("step_length", 0.1, 10).value_or(1.0);
    s.timeToTeleport = obj.optionalNumber("time_to_teleport_s", 1, 86400).value_or(s.timeToTeleport);
    s.timeToImpatience = obj.optionalNumber("time_to_impatience_s", 0, 86400).value_or(s.timeToImpatience);
    s.ignoreJunctionBlocker = obj.optionalNumber("ignore_junction_blocker_s", 0, 86400).value_or(s.ignoreJunctionBlocker);
    s.reroutePeriod = obj.optionalNumber("reroute_period_s", 0, 86400).value_or(s.reroutePeriod);
    s.rerouteShare = obj.optionalNumber("reroute_share", 0, 1).value_or(s.rerouteShare);
    if (obj.has("meso_junction_control"))
        s.mesoJunctionControl = obj.requiredChoice("meso_junction_control", {"off", "limited", "on"});
    obj.finish();
}

// The agencies section places the fixed cameras (each agency's in its own town), puts the
// patrol cars in their agency's town and sets the stores' sharing.
void applyAgencies(const RegionAgencies& agencies, const std::string& file, Scenario& s) {
    CameraConfig& c = s.cameras;
    if (c.placement != CameraPlacement::Agencies)
        throw InputError(file, "/cameras/placement", "\"agencies\" (the agencies section places the cameras)");
    if (c.count > 0)
        throw InputError(file, "/cameras/count", "none: each agency's count is its /agencies/by_agency entry's \"fixed\"");
    if (!c.patrol.fleets.empty())
        throw InputError(file, "/cameras/patrol", "none: each agency's patrol cars are its entry's \"patrol\"");
    PlacementRequest& r = c.request;
    if (agencies.minSpacingMetres > 0) r.minSpacingMetres = agencies.minSpacingMetres;
    c.patrol.byAgency = true;
    for (const RegionAgency& a : agencies.agencies) {
        r.quotas.push_back({a.name, a.name, a.fixed, a.jsonPath});
        r.count += a.fixed;
        if (a.patrol > 0) c.patrol.fleets.push_back({a.name, a.name, a.patrol, file, a.jsonPath});
    }
    c.count = r.count;
    if (s.source.contains("stores") && s.source.at("stores").contains("sharing"))
        throw InputError(file, "/stores/sharing", "none: each agency's sharing is its /agencies/by_agency entry's \"sharing\"");
    if (!s.stores) s.stores = StoreSettings{};
    SharingPolicy& sharing = s.stores->sharing;
    sharing.participants = agencies.pooled();
    sharing.mode = sharing.participants->empty() ? SharingMode::Local : SharingMode::Pooled;
    for (const RegionAgency& a : agencies.agencies)
        if (!a.partners.empty()) sharing.agreements[a.name] = a.partners;
}

}  // namespace

Scenario parseScenario(const std::string& text, const fs::path& file) {
    Scenario s;
    s.file = file;
    s.source = parseUserJson(text, file.string());
    JsonObjectReader root(s.source, file.string(), "");
    s.name = root.requiredString("name");
    s.description = root.optionalString("description").value_or("");
    s.seed = root.requiredCount("seed", 0, UINT32_MAX);
    readNetwork(root.requiredObject("network"), s);
    readTime(root.requiredObject("time"), s);
    if (root.has("simulation")) readSimulation(root.requiredObject("simulation"), s);
    s.demand = readDemandConfig(root.requiredObject("demand"));
    s.cameras = readCameraConfig(root.requiredObject("cameras"));
    if (root.has("stores")) {
        root.requiredObject("stores");  // marks the key as known and checks it is an object
        s.stores = StoreSettings::fromJson(s.source.at("stores"), file.string(), "/stores");
    }
    if (root.has("agencies")) {
        s.agencies = readRegionAgencies(root.requiredObject("agencies"));
        applyAgencies(*s.agencies, file.string(), s);
    }
    if (root.has("recognition")) {
        JsonObjectReader rec = root.requiredObject("recognition");
        s.recognitionMode = recognition::parseRecognitionMode(rec.requiredChoice("mode", {"perfect", "calibrated", "full"}));
        rec.finish();
    }
    root.finish();
    return s;
}

Scenario loadScenario(const fs::path& file) {
    // Bases ("extends") are merged first; the loader then sees one document.
    const ExtendedScenario extended = resolveExtends(file);
    try {
        return parseScenario(extended.document.dump(), file);
    } catch (const InputError& e) {
        throw inExtendedScenario(e, extended);
    }
}

fs::path scenarioNetwork(const Scenario& s, const fs::path& scratchDir) {
    return s.region.empty() ? cachedNetwork(s.osmFile, scratchDir) : cachedRegionNetwork(s.region, s.townsFile, scratchDir);
}

}  // namespace alprsim
