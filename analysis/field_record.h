#pragma once
// The field record: what real ALPR deployments measured, as bands with their sources, and a
// run's figures set beside them. One table (field_record.cpp) holds every band, so a page,
// results.json and the docs quote the same numbers.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace alprsim {

struct FieldBand {
    std::string figure;                      // key in results.json's "field_record"
    std::string words;                       // what the figure is, in plain words
    double low = 0, high = 0;                // the band the field record spans
    double typicalLow = 0, typicalHigh = 0;  // where most sources sit (equal to the band when none is singled out)
    std::string unit;                        // "reads/hour", "reads/camera-day", "share"
    std::vector<std::string> sources;
};

// Every band, in the order a page shows them.
const std::vector<FieldBand>& fieldBands();

// The run's figures beside the bands, from its results.json: for each band the simulated value
// (null when the run has nothing to measure it, e.g. no patrol cars), whether it is inside, and
// why a value may not be comparable (a morning is not a day; a handful of alerts is not a share;
// perfect recognition never misreads). An array in the order of fieldBands().
nlohmann::json compareWithFieldRecord(const nlohmann::json& results);

}  // namespace alprsim
