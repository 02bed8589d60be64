#include "report/html_text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "core/markup.h"

namespace alprsim::report {

std::string jsonForScriptElement(const nlohmann::json& value) {
    // '<', '>' and '&' can only occur inside JSON strings, where \u escapes mean the same.
    return replaceChars(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        {{'<', "\\u003c"}, {'>', "\\u003e"}, {'&', "\\u0026"}});
}

std::string percentText(double share) { return fmt::format("{:.1f}%", share * 100.0); }

std::string countText(uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

namespace {
std::string countOf(double n, const char* unit) {
    const std::string number = numberText(n);
    return number + " " + unit + (number == "1" ? "" : "s");
}
}  // namespace

std::string durationText(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "forever";
    constexpr double minute = 60, hour = 3600, day = 86400, year = 365 * day;
    if (seconds >= year && std::fmod(seconds, year) < day) return countOf(std::round(seconds / year), "year");
    if (seconds >= day) return countOf(std::round(seconds / day * 10) / 10, "day");
    if (seconds >= hour) return countOf(std::round(seconds / hour * 10) / 10, "hour");
    if (seconds >= minute) return countOf(std::round(seconds / minute * 10) / 10, "minute");
    return countOf(seconds, "second");
}

std::string clockText(double seconds) {
    const long total = std::lround(seconds / 60.0);
    return fmt::format("{:02}:{:02}", (total / 60) % 24, total % 60);
}

std::string numberText(double value) { return fmt::format("{:.6g}", value); }

}  // namespace alprsim::report
