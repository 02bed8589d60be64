#include "store/json_input.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace alprsim::store_json {

void requireObjectWithKeys(const nlohmann::json& j, std::initializer_list<const char*> allowed, const std::string& file,
                           const std::string& path) {
    if (!j.is_object()) throw InputError(file, path, "an object");
    for (const auto& item : j.items()) {
        const std::string& key = item.key();  // a plain reference: clang 14 cannot capture structured bindings
        const bool known =
            std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return std::strcmp(a, key.c_str()) == 0; });
        if (!known) {
            std::string names;
            for (const char* a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
            throw InputError(file, path + "/" + key, "one of the known keys (" + names + ")");
        }
    }
}

std::string requireString(const nlohmann::json& j, const char* key, const std::string& file, const std::string& path) {
    const std::string where = path + "/" + key;
    if (!j.contains(key)) throw InputError(file, where, "a string (required)");
    if (!j.at(key).is_string()) throw InputError(file, where, "a string");
    return j.at(key).get<std::string>();
}

}  // namespace alprsim::store_json
