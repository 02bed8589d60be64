#include "store/retention.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/error.h"
#include "core/json_reader.h"

namespace alprsim {

namespace {
struct Unit {
    char symbol;
    double seconds;
};
// Largest first, so formatDuration picks the coarsest unit that divides exactly.
constexpr Unit kUnits[] = {{'y', 365.0 * 86400}, {'w', 7.0 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
}  // namespace

std::optional<double> parseDuration(std::string_view text) {
    if (text == "forever") return RetentionPolicy::kForever;
    if (text.size() < 2) return std::nullopt;
    const char symbol = text.back();
    const std::string_view number = text.substr(0, text.size() - 1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value) || value < 0.0) return std::nullopt;
    for (const Unit& u : kUnits)
        if (u.symbol == symbol) return value * u.seconds;
    return std::nullopt;
}

std::string formatDuration(double seconds) {
    if (std::isinf(seconds)) return "forever";
    for (const Unit& u : kUnits) {
        const double count = seconds / u.seconds;
        if (count >= 1.0 && count == std::floor(count)) return std::to_string(static_cast<int64_t>(count)) + u.symbol;
    }
    return fmt::format("{:.17g}s", seconds);
}

RetentionPolicy RetentionPolicy::keepFor(double readsSeconds, std::optional<double> hitsSeconds) {
    RetentionPolicy p{readsSeconds, hitsSeconds.value_or(readsSeconds)};
    if (p.hitsSeconds < p.readsSeconds) throw std::invalid_argument("retention for hits shorter than for other reads");
    return p;
}

double RetentionPolicy::oldestKept(double now, bool hit) const {
    const double span = hit ? hitsSeconds : readsSeconds;
    if (std::isinf(span)) return std::numeric_limits<double>::lowest();
    return now - span;
}

RetentionPolicy RetentionPolicy::fromJson(const nlohmann::json& j, const std::string& file, const std::string& path) {
    JsonObjectReader obj(j, file, path);
    const auto durationAt = [&](const char* key) {
        const std::optional<double> d = parseDuration(obj.requiredString(key));
        if (!d) throw InputError(file, obj.pathOf(key), "a duration such as \"3m\", \"48h\", \"21d\", \"1y\" or \"forever\"");
        return *d;
    };
    const double reads = durationAt("reads");
    const double hits = obj.has("hits") ? durationAt("hits") : reads;
    obj.finish();
    if (hits < reads) throw InputError(file, path + "/hits", "a duration at least as long as /reads");
    return RetentionPolicy{reads, hits};
}

nlohmann::json RetentionPolicy::toJson() const {
    return {{"reads", formatDuration(readsSeconds)}, {"hits", formatDuration(hitsSeconds)}};
}

}  // namespace alprsim
