#pragma once
// Licence plates: the Massachusetts standard passenger formats (MISSION.md), a seeded
// generator of distinct plates, and a format check that recognition uses as a syntax rule.
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/rng.h"

namespace alprsim {

// '#' is a digit, '@' a letter, as in MISSION.md.
const std::vector<std::string>& massachusettsPlateFormats();

// True if text fits one of the Massachusetts formats.
bool isMassachusettsPlate(std::string_view text);

// Fills a format with random characters. Letters exclude I, O and Q, and a leading digit is
// never 0, as on issued Massachusetts plates (they are too easily confused with 1 and 0).
std::string randomPlate(std::string_view format, Rng& rng);

// Hands out distinct plates (a fleet never has two vehicles with the same plate).
class PlateGenerator {
public:
    explicit PlateGenerator(Rng rng) : rng_(rng) {}
    std::string next();

private:
    Rng rng_;
    std::unordered_set<std::string> issued_;
};

}  // namespace alprsim
