#pragma once
// "extends": a scenario names a base scenario and overrides some of its fields.
//
// The base path is relative to the file that names it (or absolute). Bases may extend further
// bases; a cycle is an error. The scenario is applied to its base as an RFC 7386 JSON merge
// patch: objects merge key by key, recursively; arrays and scalars replace the base's value;
// null deletes the base's key. The "extends" key itself is not part of the result.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace alprsim {

struct ExtendedScenario {
    nlohmann::json document;                   // the merged scenario, without "extends"
    std::vector<std::filesystem::path> chain;  // the file itself first, then its bases in order
};

// Reads `file` and every base it extends, and merges them. Throws InputError naming the file
// with the problem: unreadable or invalid JSON, a root that is not an object, "extends" that is
// not a string or names a missing file, or a cycle (the message lists the chain).
ExtendedScenario resolveExtends(const std::filesystem::path& file);

// An error found in the merged document names the scenario file; when the field came through a
// base, the message also says which files were merged, so the user knows where to look.
InputError inExtendedScenario(const InputError& error, const ExtendedScenario& scenario);

}  // namespace alprsim
