#include "sensors/camera_config.h"

#include "core/error.h"

namespace alprsim {

namespace {

CameraSite readSite(const nlohmann::json& value, const std::string& file, const std::string& path,
                    const std::string& agency) {
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

}  // namespace

CameraConfig readCameraConfig(JsonObjectReader obj) {
    CameraConfig c;
    c.source = obj.file();
    c.jsonPath = obj.path();
    c.agency = obj.requiredString("agency");
    const std::string placement = obj.requiredChoice("placement", {"busiest-edges", "list"});
    if (placement == "busiest-edges") {
        c.placement = CameraPlacement::BusiestEdges;
        c.count = obj.requiredCount("count", 0, CameraLimits::kMaxCameras);
    } else {
        c.placement = CameraPlacement::Listed;
        const auto& sites = obj.requiredArray("sites", CameraLimits::kMaxCameras);
        for (size_t i = 0; i < sites.size(); ++i)
            c.sites.push_back(readSite(sites[i], obj.file(), obj.pathOf("sites") + "/" + std::to_string(i), c.agency));
    }
    obj.finish();
    return c;
}

}  // namespace alprsim
