// Fuzzes the network import front end: the files read on the way from an OpenStreetMap
// extract to a simulated network, other than netconvert's own input. The first byte picks
// the reader, the rest is the file:
//   even  the towns GeoJSON (TownMap::load): town polygons and populations, then a lookup
//   odd   the SUMO network file (readNetFileAttributes), plain or gzip, as netconvert writes it
// The OSM file itself goes to netconvert unparsed (net_import.cpp only checks it exists and
// hashes its bytes for the cache), so there is nothing of ours to fuzz before that call.
// The contract: a result or an InputError.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "sim/net_file.h"
#include "sim/towns.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const bool netFile = data[0] % 2 == 1;
    const auto file = alprsim::fuzz::writeScratchFile(netFile ? "fuzzed.net.xml" : "fuzzed-towns.geojson", data + 1, size - 1);
    try {
        if (netFile) {
            alprsim::readNetFileAttributes(file);
        } else {
            const alprsim::TownMap towns = alprsim::TownMap::load(file);
            towns.townAt({42.33, -71.12});
            towns.find("Brookline");
        }
    } catch (const alprsim::InputError&) {
        // refused with a message: the expected outcome for bad input
    }
    return 0;
}
