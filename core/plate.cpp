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

std::string PlateGenerator::next() {
    const auto& formats = massachusettsPlateFormats();
    for (;;) {
        std::string plate = randomPlate(formats[rng_.below(formats.size())], rng_);
        if (issued_.insert(plate).second) return plate;
    }
}

}  // namespace alprsim
