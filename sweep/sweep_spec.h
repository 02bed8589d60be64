#pragma once
// A sweep: one base scenario, the parameters to vary over it, and the seeds to replicate each
// combination with. The JSON shape (documented in docs/sweeps-and-clusters.md):
//
//   { "name": "cameras", "description": "...", "base": "quick.json",
//     "grid": [ {"path": "/cameras/count", "values": [4, 8, 16]} ],          // every combination
//     "zip":  [ {"path": "/demand/vehicles", "values": [100, 200]},          // varied together
//               {"path": "/time/duration_hours", "values": [0.5, 1]} ],
//     "seeds": [1, 2, 3] }
//
// Paths are RFC 6901 JSON pointers into the base scenario (after its own "extends" are merged).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace alprsim {

struct SweepAxis {
    std::string pointer;                 // where in the scenario, e.g. /cameras/count
    std::vector<nlohmann::json> values;  // what to put there
};

struct SweepSpec {
    std::filesystem::path file;
    std::string name;
    std::string description;
    std::filesystem::path baseScenario;  // found beside the sweep file, else among the shipped scenarios (scenarioSearchPath)
    std::vector<SweepAxis> grid;         // the cartesian product, the last axis varying fastest
    std::vector<SweepAxis> zip;          // equal lengths; the i-th values go together
    std::vector<uint64_t> seeds;         // empty: the base scenario's own seed, one run per point
};

struct SweepLimits {
    static constexpr size_t kMaxRuns = 1'000'000;
    static constexpr size_t kMaxSeeds = 100'000;
};

// Reads and validates a sweep file. Throws InputError (file, JSON path, expectation).
SweepSpec loadSweepSpec(const std::filesystem::path& file);

}  // namespace alprsim
