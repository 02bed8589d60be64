#pragma once
// What the page is built from besides the data. The page template, its style and its glue
// script are compiled into the binary (report/web/, embedded by CMake); the JavaScript
// libraries come from the npm packages pinned in report/package-lock.json, installed by
// tools/bootstrap.sh (npm ci --prefix report) and read at run time from report/node_modules
// (or from $ALPRSIM_REPORT_ASSETS, a node_modules folder), then inlined into the page.
#include <filesystem>
#include <string>

namespace alprsim::report {

struct WebTemplate {
    std::string html, css, guardJs, reportJs;
};
// The embedded template files.
const WebTemplate& webTemplate();

struct LibraryAssets {
    std::string vegaJs, vegaLiteJs, leafletJs, leafletCss;
    std::string versions;  // "Vega 5.33.1, Vega-Lite 5.23.0, Leaflet 1.9.4"
};

// The node_modules folder the libraries are read from.
std::filesystem::path libraryAssetDir();

// Throws InputError naming the missing file and saying how to install the libraries.
LibraryAssets loadLibraryAssets();

}  // namespace alprsim::report
