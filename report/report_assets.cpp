#include "report/report_assets.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "report/web_embedded.h"

namespace alprsim::report {

namespace {

const char* const kInstallHint =
    "the report's JavaScript libraries are not installed; run the set-up (bash tools/bootstrap.sh demo), "
    "or npm ci --prefix report in the repository, or point ALPRSIM_REPORT_ASSETS at a node_modules folder that holds "
    "vega, vega-lite and leaflet";

std::string readAsset(const std::filesystem::path& file) {
    if (!std::filesystem::is_regular_file(file)) throw InputError(file.string(), "", kInstallHint);
    return readTextFile(file);
}

// A source map comment would make developer tools fetch a file that is not there.
std::string withoutSourceMap(std::string js) {
    const auto at = js.rfind("//# sourceMappingURL=");
    if (at != std::string::npos)
        js.erase(at, js.find('\n', at) == std::string::npos ? std::string::npos : js.find('\n', at) - at);
    return js;
}

std::string packageVersion(const std::filesystem::path& modules, const std::string& package) {
    const auto manifest = nlohmann::json::parse(readAsset(modules / package / "package.json"), nullptr, false);
    if (manifest.is_discarded() || !manifest.contains("version") || !manifest["version"].is_string())
        throw InputError((modules / package / "package.json").string(), "/version", "the installed package's version");
    return manifest["version"].get<std::string>();
}

}  // namespace

const WebTemplate& webTemplate() {
    static const WebTemplate files{std::string(embedded::kReportHtml), std::string(embedded::kReportCss),
                                   std::string(embedded::kGuardJs), std::string(embedded::kReportJs)};
    return files;
}

std::filesystem::path libraryAssetDir() {
    if (const char* dir = std::getenv("ALPRSIM_REPORT_ASSETS"); dir && *dir) return dir;
    return ALPRSIM_REPORT_NODE_MODULES;
}

LibraryAssets loadLibraryAssets() {
    const std::filesystem::path modules = libraryAssetDir();
    LibraryAssets assets;
    assets.vegaJs = withoutSourceMap(readAsset(modules / "vega/build/vega.min.js"));
    assets.vegaLiteJs = withoutSourceMap(readAsset(modules / "vega-lite/build/vega-lite.min.js"));
    assets.leafletJs = withoutSourceMap(readAsset(modules / "leaflet/dist/leaflet.js"));
    assets.leafletCss = readAsset(modules / "leaflet/dist/leaflet.css");
    assets.versions = "Vega " + packageVersion(modules, "vega") + ", Vega-Lite " + packageVersion(modules, "vega-lite") +
                      ", Leaflet " + packageVersion(modules, "leaflet");
    return assets;
}

}  // namespace alprsim::report
