#include "report/html_text.h"

#include <cmath>
#include <cstdio>

#include "core/markup.h"

namespace alprsim::report {

std::string htmlEscape(std::string_view text) { return escapeMarkup(text); }

std::string jsonForScriptElement(const nlohmann::json& value) {
    // '<', '>' and '&' can only occur inside JSON strings, where \u escapes mean the same.
    const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string percentText(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", share * 100.0);
    return buf;
}

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
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", (total / 60) % 24, total % 60);
    return buf;
}

std::string numberText(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    return buf;
}

}  // namespace alprsim::report
