#pragma once
// Licence plates: the Massachusetts standard passenger formats (MISSION.md), a seeded
// generator of distinct plates, the fleet's mix of vanity texts, specialty designs and other
// states' plates, and a format check that recognition uses as a syntax rule.
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
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

// True if text keeps the Registry's vanity rules (below).
bool isVanityText(std::string_view text);

// A vanity text under the Registry's rules: 2 to 6 characters, at least the first two letters,
// digits only after the letters. Any of the 26 letters (a vanity plate may say BOSTON or
// OQ1). The length is drawn evenly, and half the texts end in digits: no source gives
// their distribution. Never fits a standard format (those begin with a digit).
std::string randomVanityText(Rng& rng);

// What a plate looks like besides its characters: "MA" the standard design, "MA-<name>" one of
// the Massachusetts specialty designs, else the issuing state's code ("NH", "NY", ...).
inline constexpr std::string_view kStandardDesign = "MA";

// True for the standard design and the Massachusetts specialty designs ("MA-<name>").
bool isMassachusettsDesign(std::string_view design);

// The plate kinds the calibrated error model tells apart (recognition/error_model.h).
enum class PlateKind { Standard, Vanity, Specialty, OutOfState };
PlateKind plateKind(std::string_view text, std::string_view design);
const char* plateKindName(PlateKind kind);  // "standard", "vanity", "specialty", "out-of-state"

// The shares of Massachusetts passenger plates that are vanity texts or one of the specialty
// designs drawn (sources and the arithmetic: recognition/README.md, "The fleet's plates").
struct PlateMix {
    double vanityShare = 0.012;
    std::vector<std::pair<std::string, double>> specialtyShares = {
        {"MA-250", 0.0105}, {"MA-cape-and-islands", 0.0060}, {"MA-right-whale", 0.0059}};
};

// The states whose plates a population's out-of-state cars carry, drawn evenly.
const std::vector<std::string>& outOfStatePlateStates();

struct IssuedPlate {
    std::string text;
    std::string design{kStandardDesign};
};

// An out-of-state car's plate: one of outOfStatePlateStates, evenly, in its state's design, with
// a serial of three letters and four digits (as New York's; each state's own formats not drawn).
IssuedPlate randomOutOfStatePlate(Rng& rng);

// Hands out distinct plates (a fleet never has two vehicles with the same plate).
class PlateGenerator {
public:
    explicit PlateGenerator(Rng rng, PlateMix mix = {}) : rng_(rng), mix_(std::move(mix)) {}
    // A standard serial.
    std::string next();
    // A Massachusetts plate of the mix: the next standard serial is always drawn (so that the
    // other vehicles' serials do not depend on the mix), then `mixRng` decides whether the car
    // carries a vanity text instead or a specialty design (with a standard serial).
    IssuedPlate issue(Rng& mixRng);

private:
    Rng rng_;
    PlateMix mix_;
    std::unordered_set<std::string> issued_;
};

}  // namespace alprsim
