#pragma once
// Reconstructibility: every metric of docs/metrics.md, for each adversary view (the pooled
// view, each agency alone, and with a store network every agency store together) and each
// retention period, each view saying in results.json which store its reads came from; plus
// each trip's level and example trips for the report's map. analyzeRunDirectory is the one entry point `alprsim run` and
// `alprsim analyze` share, so both give the same numbers.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "analysis/analysis_config.h"
#include "analysis/analysis_data.h"
#include "analysis/trip_reconstruction.h"

namespace alprsim {

struct AnalysisOutput {
    nlohmann::json reconstructibility;  // the results.json section
    // Each trip's outcome (data.trips' order) and the examples: in the widest view kept forever
    // (the pooled view without a store network; "all-agencies", every agency store together, with one).
    std::vector<TripOutcome> tripOutcomes;
    nlohmann::json exampleTrips;  // GeoJSON: true route beside the inferred one, and the reads
    // The trips.csv analysed (its rows are data.trips in order), to be written again with the
    // outcomes' columns; empty when the data did not come from a run directory.
    std::filesystem::path tripsCsv;
};

AnalysisOutput analyzeData(const AnalysisData& data, const AnalysisConfig& config);

// Analyzes a run's data (loadRunDirectory's), its trips.csv being runDir's.
AnalysisOutput analyzeRun(const std::filesystem::path& runDir, const AnalysisData& data, const AnalysisConfig& config);

// Reads the run directory (see loadRunDirectory) and analyzes it.
AnalysisOutput analyzeRunDirectory(const std::filesystem::path& runDir, const AnalysisConfig& config);

// Writes example_trips.geojson into `dir`, and, if the output came from a run directory,
// dir/trips.csv: the analysed trips.csv, row by row, with each trip's outcome in the columns
// observed_reads, level, endpoints_exposed and route_coverage (replaced if present, so the
// directory analysed can be the one written).
void writeAnalysisFiles(const std::filesystem::path& dir, const AnalysisOutput& output);

}  // namespace alprsim

namespace alprsim {

// "3m,48h,forever" -> seconds (infinity for forever), in the order given; throws InputError
// naming `source` and the offending item on anything else.
std::vector<double> parseRetentionList(const std::string& list, const std::string& source);

// A few plain sentences on the pooled store kept forever (the most the reads give away).
std::string plainReconstructibilitySummary(const nlohmann::json& reconstructibility);

}  // namespace alprsim
