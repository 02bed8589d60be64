#pragma once
// Retention: how long a store keeps a read, in simulated seconds. Reads that matched the hot
// list ("hits") may be kept longer, as in New Hampshire (3 minutes for non-hits).
#include <nlohmann/json_fwd.hpp>

#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace alprsim {

// Parses a duration: a number and a unit, s (seconds), m (minutes, not months), h, d, w or
// y (365 days), e.g. "3m", "48h", "21d", "1.5y"; or "forever" (infinity). nullopt if malformed.
std::optional<double> parseDuration(std::string_view text);
// The inverse of parseDuration: the largest unit that divides exactly ("30d", "forever").
std::string formatDuration(double seconds);

struct RetentionPolicy {
    static constexpr double kForever = std::numeric_limits<double>::infinity();
    double readsSeconds = kForever;
    double hitsSeconds = kForever;  // never shorter than readsSeconds

    static RetentionPolicy keepFor(double readsSeconds, std::optional<double> hitsSeconds = std::nullopt);

    // The oldest read time a store still holds at simulated time `now` (finite, so it can be
    // bound into SQL even for "forever").
    double oldestKept(double now, bool hit) const;

    // JSON shape: {"reads": "30d", "hits": "1y"}; "hits" is optional and defaults to "reads".
    static RetentionPolicy fromJson(const nlohmann::json& j, const std::string& file, const std::string& path);
    nlohmann::json toJson() const;

    bool operator==(const RetentionPolicy&) const = default;
};

}  // namespace alprsim
