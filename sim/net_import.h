#pragma once
// Network import: OpenStreetMap XML -> SUMO network, through netconvert, cached by content.
#include <filesystem>
#include <string>
#include <vector>

namespace alprsim {

// The netconvert options that suit the Massachusetts OSM extracts (../shared/data/README.md):
// guessed signals and ramps, joined junctions, passenger roads only, street names kept.
// --no-internal-links avoids SUMO 1.15's assertion in MSVehicle::getBackPositionOnLane on
// the Somerville and merged networks; it costs junction-internal detail we do not measure.
// Roads without a posted limit get Massachusetts' statutory speeds, not SUMO's rural German
// defaults (data/sumo/massachusetts-speeds.typ.xml says why and cites the law).
const std::vector<std::string>& defaultNetconvertOptions();
std::filesystem::path massachusettsSpeedTypes();

// Runs netconvert on osmFile, writing outFile (.net.xml or .net.xml.gz). Throws InputError
// naming the OSM file if netconvert rejects it (with the tail of its log).
void importNetwork(const std::filesystem::path& osmFile, const std::filesystem::path& outFile);

// The converted network for osmFile, from the cache if the same input bytes were already
// converted with the same options and netconvert; converts (and caches) otherwise. When the
// cache folder cannot be written, warns and converts into scratchDir/kUncachedNetwork (the
// caller removes it when done); without a scratchDir that is an OutputError.
inline constexpr const char* kUncachedNetwork = "network-uncached.net.xml.gz";
std::filesystem::path cachedNetwork(const std::filesystem::path& osmFile, const std::filesystem::path& scratchDir = {});

// SUMO_HOME must point at SUMO's data for netconvert's type map and for libsumo.
void ensureSumoHome();

}  // namespace alprsim
