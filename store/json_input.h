#pragma once
// Helpers for reading the store settings out of a scenario's JSON with errors that name the
// JSON path (InputError), so a user can find the line to fix.
#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>

namespace alprsim::store_json {

// Throws InputError unless j is an object whose keys are all in `allowed` (catches typos
// such as "retension" that would otherwise be silently ignored).
void requireObjectWithKeys(const nlohmann::json& j, std::initializer_list<const char*> allowed, const std::string& file,
                           const std::string& path);

// The string at j[key]; throws InputError naming path/key if it is missing or not a string.
std::string requireString(const nlohmann::json& j, const char* key, const std::string& file, const std::string& path);

}  // namespace alprsim::store_json
