#pragma once
// Text for a page a select board reads: escaping of everything that comes from files, and
// numbers in plain words ("52.8%", "3,000", "21 days"). Formatting never depends on the locale,
// so the same inputs give the same bytes.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

#include "core/markup.h"

namespace alprsim::report {

// Text from a file, safe in HTML (core/markup.h).
inline std::string esc(const std::string& s) { return escapeMarkup(s); }

// JSON text that can sit inside <script type="application/json">: '<', '>' and '&' are written
// as \u003c etc. so no string in the data can close the element or open a comment.
std::string jsonForScriptElement(const nlohmann::json& value);

// 0.528 -> "52.8%"; one decimal, as the tables in docs/.
std::string percentText(double share);
// 3000 -> "3,000".
std::string countText(uint64_t n);
// Seconds -> "3 minutes", "21 days", "1 year", "forever" (infinite or negative = forever).
std::string durationText(double seconds);
// Seconds since midnight of day 0 -> "07:36".
std::string clockText(double seconds);
// A number as short as it reads well: 20 -> "20", 0.5 -> "0.5".
std::string numberText(double value);

}  // namespace alprsim::report
