#include "sensors/camera_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"

namespace alprsim {

namespace {

CameraSite readSite(const nlohmann::json& value, const std::string& file, const std::string& path, const std::string& agency) {
    JsonObjectReader obj(value, file, path);
    CameraSite site;
    site.source = file;
    site.jsonPath = path;
    site.id = obj.optionalString("id").value_or("");
    site.agency = obj.optionalString("agency").value_or(agency);
    site.edge = obj.optionalString("edge");
    site.position = obj.optionalNumber("position", 0, 1e6);
    const auto lat = obj.optionalNumber("lat", -90, 90);
    const auto lon = obj.optionalNumber("lon", -180, 180);
    if (lat.has_value() != lon.has_value())
        throw InputError(file, path + (lat ? "/lon" : "/lat"), "both lat and lon, or neither");
    if (lat) site.where = LatLon{*lat, *lon};
    if (site.edge.has_value() == site.where.has_value())
        throw InputError(file, path, "either \"edge\" or \"lat\" and \"lon\" (exactly one way to give the site)");
    if (site.where && site.position)
        throw InputError(file, path + "/position", "no position with lat/lon (the point is snapped to the nearest road)");
    obj.finish();
    return site;
}

// Lens, sensor and mounting height; every field optional over `defaults`.
CameraModel readCameraModel(JsonObjectReader obj, CameraModel m) {
    m.focalLengthMm = obj.optionalNumber("focal_length_mm", 1, 500).value_or(m.focalLengthMm);
    m.pixelPitchUm = obj.optionalNumber("pixel_pitch_um", 0.5, 50).value_or(m.pixelPitchUm);
    m.sensorWidthPx = static_cast<int>(obj.optionalCount("sensor_width_px", 64, 20000).value_or(m.sensorWidthPx));
    m.sensorHeightPx = static_cast<int>(obj.optionalCount("sensor_height_px", 64, 20000).value_or(m.sensorHeightPx));
    m.apertureF = obj.optionalNumber("aperture_f", 0.7, 32).value_or(m.apertureF);
    m.focusDistanceM = obj.optionalNumber("focus_distance_m", 1, 1000).value_or(m.focusDistanceM);
    m.rangeM = obj.optionalNumber("range_m", 1, 500).value_or(m.rangeM);
    m.frameRateHz = obj.optionalNumber("frame_rate_hz", 0.1, 1000).value_or(m.frameRateHz);
    m.exposureMs = obj.optionalNumber("exposure_ms", 0.01, 1000).value_or(m.exposureMs);
    if (obj.has("illumination")) m.infrared = obj.requiredChoice("illumination", {"infrared", "none"}) == "infrared";
    m.mountHeightM = obj.optionalNumber("mount_height_m", 0.5, 30).value_or(m.mountHeightM);
    m.maxPlateYawDeg = obj.optionalNumber("max_plate_yaw_deg", 1, 89).value_or(m.maxPlateYawDeg);
    m.jpegQuality = static_cast<int>(obj.optionalCount("jpeg_quality", 0, 100).value_or(m.jpegQuality));
    obj.finish();
    return m;
}

AmbientConditions readConditions(JsonObjectReader obj) {
    AmbientConditions a;
    a.sunriseHour = obj.optionalNumber("sunrise_hour", 0, 24).value_or(a.sunriseHour);
    a.sunsetHour = obj.optionalNumber("sunset_hour", 0, 24).value_or(a.sunsetHour);
    if (a.sunsetHour <= a.sunriseHour) throw InputError(obj.file(), obj.pathOf("sunset_hour"), "an hour after sunrise_hour");
    a.rain = obj.optionalNumber("rain", 0, 1).value_or(a.rain);
    obj.finish();
    return a;
}

PatrolConfig readPatrol(JsonObjectReader obj, const std::string& agency) {
    PatrolConfig p;
    AgencyFleet fleet{agency, "", 0, obj.file(), obj.pathOf("town")};
    fleet.cars = obj.requiredCount("cars", 0, CameraLimits::kMaxPatrolCars);
    fleet.town = obj.optionalString("town").value_or(agency);
    if (fleet.cars > 0) p.fleets.push_back(fleet);
    p.shiftHours = obj.optionalNumber("shift_hours", 0.1, 24).value_or(p.shiftHours);
    p.aimDistanceM = obj.optionalNumber("aim_distance_m", 1, 200).value_or(p.aimDistanceM);
    p.stationaryShare = obj.optionalNumber("stationary_share", 0, 0.95).value_or(p.stationaryShare);
    p.stopMinutes = obj.optionalNumber("stop_minutes", 1, 600).value_or(p.stopMinutes);
    if (obj.has("mount_headings_deg")) {
        const auto& headings = obj.requiredArray("mount_headings_deg", 16);
        p.mountHeadingsDeg.clear();
        for (size_t i = 0; i < headings.size(); ++i) {
            if (!headings[i].is_number() || headings[i].get<double>() < -360 || headings[i].get<double>() > 360)
                throw InputError(obj.file(), obj.pathOf("mount_headings_deg") + "/" + std::to_string(i),
                                 "a number of degrees between -360 and 360");
            p.mountHeadingsDeg.push_back(headings[i].get<double>());
        }
        if (p.mountHeadingsDeg.empty())
            throw InputError(obj.file(), obj.pathOf("mount_headings_deg"), "at least one camera heading");
    }
    if (obj.has("camera")) p.camera = readCameraModel(obj.requiredObject("camera"), patrolCameraDefaults());
    if (obj.has("parked")) {
        JsonObjectReader parked = obj.requiredObject("parked");
        p.parked.onStreetShare = parked.optionalNumber("on_street_share", 0, 1).value_or(p.parked.onStreetShare);
        p.parked.stallLengthM = parked.optionalNumber("stall_length_m", 5, 20).value_or(p.parked.stallLengthM);
        parked.finish();
    }
    obj.finish();
    return p;
}

const std::map<std::string, CameraPlacement>& strategies() {
    static const std::map<std::string, CameraPlacement> names = {
        {"volume", CameraPlacement::BusiestEdges},     {"busiest-edges", CameraPlacement::BusiestEdges},
        {"betweenness", CameraPlacement::Betweenness}, {"border", CameraPlacement::Border},
        {"random", CameraPlacement::Random},           {"agencies", CameraPlacement::Agencies}};
    return names;
}

}  // namespace

std::string findAgenciesFile(JsonObjectReader& obj, const std::string& key) {
    const std::string name = obj.optionalString(key).value_or("ma/alpr-agencies.csv");
    const fs::path found = findDataFile(name, dataSearchPath(fs::path(obj.file()).parent_path()));
    if (found.empty())
        throw InputError(obj.file(), obj.pathOf(key), "an existing agencies CSV; '" + name + "' was not found on the data path");
    return found.string();
}

std::vector<AgencyProgram> loadAgencyPrograms(const std::string& csvFile) {
    std::istringstream in(readTextFile(csvFile));
    CsvReader csv(in, csvFile);
    const size_t agency = csv.column("agency"), program = csv.column("program");
    const std::optional<size_t> noteColumn = csv.optionalColumn("note");
    std::vector<AgencyProgram> out;
    while (csv.next()) {
        const std::vector<std::string>& f = csv.row();
        if (f[agency].empty()) throw InputError(csvFile, "row " + std::to_string(csv.rowNumber()), "an agency name");
        std::string note = noteColumn ? f[*noteColumn] : "";
        std::transform(note.begin(), note.end(), note.begin(), [](unsigned char c) { return std::tolower(c); });
        out.push_back({f[agency], f[program], note.find("opted out") != std::string::npos});
    }
    return out;
}

CameraConfig readCameraConfig(JsonObjectReader obj) {
    CameraConfig c;
    c.source = obj.file();
    c.jsonPath = obj.path();
    // With placement "agencies" each camera belongs to its town's agency: no owner to name.
    const bool byAgency = obj.has("placement") && obj.requiredString("placement") == "agencies";
    c.agency = byAgency ? obj.optionalString("agency").value_or("") : obj.requiredString("agency");
    c.seed = obj.optionalCount("seed", 0, UINT32_MAX).value_or(1);
    std::set<std::string> choices = {"none", "list"};
    for (const auto& [name, strategy] : strategies()) choices.insert(name);
    const std::string placement = obj.requiredChoice("placement", choices);
    if (placement == "none") {
        c.placement = CameraPlacement::None;
    } else if (placement == "list") {
        c.placement = CameraPlacement::Listed;
        const auto& sites = obj.requiredArray("sites", CameraLimits::kMaxCameras);
        for (size_t i = 0; i < sites.size(); ++i)
            c.sites.push_back(readSite(sites[i], obj.file(), obj.pathOf("sites") + "/" + std::to_string(i), c.agency));
    } else {
        PlacementRequest& r = c.request;
        r.strategy = c.placement = strategies().at(placement);
        // "agencies": a scenario "agencies" section may give each agency's count instead.
        r.count = c.count = byAgency ? obj.optionalCount("count", 0, CameraLimits::kMaxCameras).value_or(0)
                                     : obj.requiredCount("count", 0, CameraLimits::kMaxCameras);
        r.agency = c.agency;
        r.seed = c.seed;
        r.source = obj.file();
        r.countPath = obj.pathOf("count");
        r.townPath = obj.pathOf("town");
        r.town = r.strategy == CameraPlacement::Border ? obj.requiredString("town") : obj.optionalString("town").value_or("");
        if (r.strategy == CameraPlacement::Agencies) r.agencies = loadAgencyPrograms(findAgenciesFile(obj, "agencies_file"));
        r.minSpacingMetres = obj.optionalNumber("min_spacing_m", 0, 5000).value_or(0);  // random ignores it
    }
    if (obj.has("camera")) c.camera = readCameraModel(obj.requiredObject("camera"), CameraModel{});
    if (obj.has("mounting")) {
        JsonObjectReader m = obj.requiredObject("mounting");
        c.mounting.lateralOffsetM = m.optionalNumber("lateral_offset_m", 0, 50).value_or(c.mounting.lateralOffsetM);
        c.mounting.aimDistanceM = m.optionalNumber("aim_distance_m", 1, 500).value_or(c.mounting.aimDistanceM);
        m.finish();
    }
    if (obj.has("conditions")) c.ambient = readConditions(obj.requiredObject("conditions"));
    if (obj.has("patrol")) c.patrol = readPatrol(obj.requiredObject("patrol"), c.agency);
    obj.finish();
    return c;
}

}  // namespace alprsim
