#pragma once
// RFC 4180 CSV fields: quoted when they contain a comma, quote or line break.
#include <string>

namespace alprsim {

inline std::string csvField(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

}  // namespace alprsim
