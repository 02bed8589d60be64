// alprsim import-net OSM_FILE --out NET.net.xml.gz: convert an OpenStreetMap extract to a
// SUMO network with the options alprsim uses for its own runs.
#include <cstdio>
#include <memory>

#include "apps/commands.h"
#include "sim/net_import.h"

namespace alprsim::cli {

namespace {
struct ImportArgs {
    std::string osm;
    std::string out;
};
}  // namespace

void addImportNetCommand(CLI::App& app) {
    auto args = std::make_shared<ImportArgs>();
    CLI::App* cmd = app.add_subcommand("import-net", "Convert an OpenStreetMap XML extract to a SUMO network");
    cmd->add_option("osm", args->osm, "OpenStreetMap XML file")->required();
    cmd->add_option("-o,--out", args->out, "Network file to write (.net.xml or .net.xml.gz); its folder is created")->required();
    cmd->callback([args] {
        importNetwork(args->osm, args->out);
        std::printf("wrote %s\n", args->out.c_str());
    });
}

}  // namespace alprsim::cli
