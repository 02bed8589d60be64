#pragma once
// The "agencies" section of a scenario: each town's police agency as the record has it (its
// program from the agency file, ma/alpr-agencies.csv by default), the cameras it runs (fixed
// sites on the busiest roads of its own town, patrol cars in its town) and how it shares its
// reads (kept local, pooled into the state store, or sent by agreement to named neighbours):
//   "agencies": {"file": "ma/alpr-agencies.csv", "min_spacing_m": 300,
//                "by_agency": {"Boston": {"fixed": 4, "sharing": "pooled"},
//                              "Cambridge": {"program": "none", "fixed": 4,
//                                            "sharing": {"agreement": ["Somerville"]}}, ...}}
// An agency named here must be in the agency file, unless the scenario says it has no program
// ("program": "none": the record's silence); any other is an InputError naming the file and the
// entry, so a misspelt town never runs as an agency without a record.
// The section decides the scenario's camera placement and its stores' sharing (scenario.cpp).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace alprsim {

struct AgencyResults;  // run_folder/run_results.h

struct RegionAgency {
    std::string name;           // the agency, and its town
    std::string program;        // as the record has it: "state-grant-2011", "independent-purchase" (joined
                                // with "+" when it has both), "opted-out" or "none"
    std::string programSource;  // the agency file, or the scenario for "none"
    uint64_t fixed = 0;         // fixed sites
    uint64_t patrol = 0;        // patrol cars
    enum class Sharing { Local, Pooled, Agreement } sharing = Sharing::Local;
    std::vector<std::string> partners;  // Agreement: the neighbours its reads go to, sorted
    std::string jsonPath;
};

struct RegionAgencies {
    std::string file;  // the agency file, resolved
    double minSpacingMetres = 0;
    std::vector<RegionAgency> agencies;  // by name

    std::vector<std::string> pooled() const;  // the agencies pooling into the state store, sorted
};

// results.json's "agencies": each agency's program, cameras and sharing.
std::map<std::string, AgencyResults> agencyResults(const RegionAgencies& agencies);

std::string_view toString(RegionAgency::Sharing sharing);

// Reads and validates the section; the agency file is looked for on the data path of the
// scenario's folder. Throws InputError (file, JSON path or agency file and entry).
RegionAgencies readRegionAgencies(JsonObjectReader obj);

}  // namespace alprsim
