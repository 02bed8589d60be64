// alprsim import-net OSM_FILE --out NET.net.xml.gz: convert an OpenStreetMap extract to a
// SUMO network with the options alprsim uses for its own runs.
// alprsim import-net --town Brookline=brookline.osm --town Cambridge=cambridge.osm ... --out NET:
// several towns' extracts as one regional network, joined where roads cross the town lines
// (sim/region_osm.h); the crossings made, the gaps left and the fringe are written beside it.
#include <cstdio>
#include <memory>

#include "apps/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "sim/net_import.h"
#include "sim/region_osm.h"
#include "sim/towns.h"

namespace alprsim::cli {

namespace {

struct ImportArgs {
    std::string osm;
    std::string out;
    std::vector<std::string> towns;  // TOWN=OSM
    std::string townsFile;
    std::string borders;
    BorderRules rules;
};

std::vector<TownExtract> parseTownExtracts(const std::vector<std::string>& specs) {
    std::vector<TownExtract> extracts;
    for (const std::string& spec : specs) {
        const size_t eq = spec.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
            throw InputError("", "--town " + spec, "TOWN=OSM_FILE, e.g. Brookline=ma/roads/brookline.osm");
        const std::string file = spec.substr(eq + 1);
        fs::path found = findDataFile(file, dataSearchPath({}));
        if (found.empty())
            throw InputError(file, "--town " + spec, "an existing OpenStreetMap file (not found on the data path)");
        extracts.push_back({spec.substr(0, eq), found});
    }
    return extracts;
}

void importRegion(const ImportArgs& args) {
    const std::vector<TownExtract> extracts = parseTownExtracts(args.towns);
    fs::path townsFile = args.townsFile.empty() ? findDataFile("ma/towns.geojson", dataSearchPath({})) : fs::path(args.townsFile);
    if (townsFile.empty())
        throw InputError("ma/towns.geojson", "--towns-file", "a towns GeoJSON file (not found on the data path)");
    const TownMap towns = TownMap::load(townsFile);
    const fs::path out(args.out);
    const fs::path osm = out.string() + ".region.osm";
    const RegionOsm region = buildRegionOsm(extracts, towns, osm, args.rules);
    importNetwork(osm, out);
    std::error_code ec;
    fs::remove(osm, ec);
    const fs::path borders = args.borders.empty() ? fs::path(out.string() + ".borders.csv") : fs::path(args.borders);
    writeBorderCsv(region, borders);
    for (const RegionTownCounts& t : region.towns)
        std::printf("%-12s %5d road pieces, %7.1f km; turn restrictions kept %d, dropped %d (their ways cut at a town line)\n",
                    t.town.c_str(), t.ways, t.roadKm, t.restrictionsKept, t.restrictionsDropped);
    std::printf(
        "town lines: %d roads joined (ends within %.0f m), %d connected by an added road (up to %.0f m), "
        "%d gaps left, %d roads leave the region; %d stand-in roads link towns whose roads meet no other's\n",
        region.count(BorderEnd::Kind::Crossing), args.rules.joinMetres, region.count(BorderEnd::Kind::Connected),
        args.rules.connectMetres, region.count(BorderEnd::Kind::Gap), region.count(BorderEnd::Kind::Fringe),
        region.count(BorderEnd::Kind::Bridge));
    std::printf("wrote %s and %s\n", out.c_str(), borders.c_str());
}

}  // namespace

void addImportNetCommand(CLI::App& app) {
    auto args = std::make_shared<ImportArgs>();
    CLI::App* cmd =
        app.add_subcommand("import-net", "Convert an OpenStreetMap XML extract (or several towns' extracts) to a SUMO network");
    cmd->add_option("osm", args->osm, "OpenStreetMap XML file");
    cmd->add_option("--town", args->towns, "TOWN=OSM_FILE, once per town of a regional network (instead of one OSM file)");
    cmd->add_option("--towns-file", args->townsFile, "Town polygons (GeoJSON; default ma/towns.geojson on the data path)");
    cmd->add_option("--borders", args->borders, "Where to write the town-line table (default NET.borders.csv)");
    cmd->add_option("--join-metres", args->rules.joinMetres,
                    "How far apart two towns' road ends may be and still be joined into one")
        ->check(CLI::Range(0.0, 500.0));
    cmd->add_option("--connect-metres", args->rules.connectMetres,
                    "How far an end left over may be linked by an added road to a neighbour's road")
        ->check(CLI::Range(0.0, 500.0));
    cmd->add_option("--bridge-metres", args->rules.bridgeMetres,
                    "Longest stand-in road linking a town whose roads meet no other region town's (0: none)")
        ->check(CLI::Range(0.0, 10000.0));
    cmd->add_option("-o,--out", args->out, "Network file to write (.net.xml or .net.xml.gz); its folder is created")->required();
    cmd->callback([args] {
        if (args->osm.empty() == args->towns.empty())
            throw InputError("", "import-net", "either one OSM file or --town TOWN=OSM_FILE for each town of a region");
        if (!args->towns.empty()) return importRegion(*args);
        importNetwork(args->osm, args->out);
        std::printf("wrote %s\n", args->out.c_str());
    });
}

}  // namespace alprsim::cli
