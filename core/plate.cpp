#include "core/plate.h"

#include <cctype>

namespace alprsim {

const std::vector<std::string>& massachusettsPlateFormats() {
    static const std::vector<std::string> formats = {"###@@#", "#@@###", "#@@@##", "######", "###@@@", "####@@", "##@@##"};
    return formats;
}

bool isMassachusettsPlate(std::string_view text) {
    for (const std::string& format : massachusettsPlateFormats()) {
        if (format.size() != text.size()) continue;
        bool fits = true;
        for (size_t i = 0; i < format.size() && fits; ++i) {
            const unsigned char c = static_cast<unsigned char>(text[i]);
            fits = format[i] == '#' ? std::isdigit(c) != 0 : (std::isupper(c) != 0);
        }
        if (fits) return true;
    }
    return false;
}

std::string randomPlate(std::string_view format, Rng& rng) {
    static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    std::string plate;
    plate.reserve(format.size());
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] == '@') {
            plate += kLetters[rng.below(kLetters.size())];
        } else if (i == 0) {
            plate += static_cast<char>('1' + rng.below(9));
        } else {
            plate += static_cast<char>('0' + rng.below(10));
        }
    }
    return plate;
}

bool isVanityText(std::string_view text) {
    if (text.size() < 2 || text.size() > 6) return false;
    size_t letters = 0;
    while (letters < text.size() && std::isupper(static_cast<unsigned char>(text[letters]))) ++letters;
    if (letters < 2) return false;
    for (size_t i = letters; i < text.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    return true;
}

std::string randomVanityText(Rng& rng) {
    const size_t length = 2 + rng.below(5);
    const size_t digits = length > 2 && rng.uniform() < 0.5 ? 1 + rng.below(length - 2) : 0;
    std::string text;
    for (size_t i = 0; i < length; ++i)
        text += i < length - digits ? static_cast<char>('A' + rng.below(26)) : static_cast<char>('0' + rng.below(10));
    return text;
}

bool isMassachusettsDesign(std::string_view design) { return design == kStandardDesign || design.substr(0, 3) == "MA-"; }

PlateKind plateKind(std::string_view text, std::string_view design) {
    if (design == kStandardDesign) return isMassachusettsPlate(text) ? PlateKind::Standard : PlateKind::Vanity;
    return isMassachusettsDesign(design) ? PlateKind::Specialty : PlateKind::OutOfState;
}

const char* plateKindName(PlateKind kind) {
    switch (kind) {
        case PlateKind::Standard:
            return "standard";
        case PlateKind::Vanity:
            return "vanity";
        case PlateKind::Specialty:
            return "specialty";
        case PlateKind::OutOfState:
            break;
    }
    return "out-of-state";
}

const std::vector<std::string>& outOfStatePlateStates() {
    static const std::vector<std::string> states = {"NH", "RI", "NY", "CT", "ME", "VT", "NJ", "FL"};
    return states;
}

IssuedPlate randomOutOfStatePlate(Rng& rng) {
    const std::string& state = outOfStatePlateStates()[rng.below(outOfStatePlateStates().size())];
    return {randomPlate("@@@####", rng), state};
}

std::string PlateGenerator::next() {
    const auto& formats = massachusettsPlateFormats();
    for (;;) {
        std::string plate = randomPlate(formats[rng_.below(formats.size())], rng_);
        if (issued_.insert(plate).second) return plate;
    }
}

IssuedPlate PlateGenerator::issue(Rng& mixRng) {
    IssuedPlate plate{next()};
    double u = mixRng.uniform();
    if (u < mix_.vanityShare) {
        for (;;) {  // vanity texts never fit a standard format, so only other vanity texts can clash
            plate.text = randomVanityText(mixRng);
            if (issued_.insert(plate.text).second) return plate;
        }
    }
    u -= mix_.vanityShare;
    for (const auto& [design, share] : mix_.specialtyShares) {
        if (u < share) {
            plate.design = design;
            break;
        }
        u -= share;
    }
    return plate;
}

}  // namespace alprsim
