#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "core/plate.h"

using namespace alprsim;

TEST_CASE("Massachusetts formats accept real-looking plates and reject others", "[core][plate]") {
    CHECK(isMassachusettsPlate("123AB4"));  // ###@@#
    CHECK(isMassachusettsPlate("1AB234"));  // #@@###
    CHECK(isMassachusettsPlate("123456"));  // ######
    CHECK(isMassachusettsPlate("12AB34"));  // ##@@##
    CHECK_FALSE(isMassachusettsPlate("12345"));
    CHECK_FALSE(isMassachusettsPlate("ABCDEF"));
    CHECK_FALSE(isMassachusettsPlate("123ab4"));
    CHECK_FALSE(isMassachusettsPlate("1234567"));
}

TEST_CASE("Generated plates fit a format, are distinct, and repeat with the seed", "[core][plate]") {
    PlateGenerator a(Rng::stream(42, "plates"));
    PlateGenerator b(Rng::stream(42, "plates"));
    PlateGenerator c(Rng::stream(43, "plates"));
    std::set<std::string> seen;
    bool differsFromOtherSeed = false;
    for (int i = 0; i < 5000; ++i) {
        const std::string p = a.next();
        CHECK(isMassachusettsPlate(p));
        CHECK(p == b.next());
        differsFromOtherSeed |= p != c.next();
        CHECK(seen.insert(p).second);
        CHECK(p.find_first_of("IOQ") == std::string::npos);
        CHECK(p[0] != '0');
    }
    CHECK(differsFromOtherSeed);
}

TEST_CASE("Vanity texts keep the Registry's rules and never fit a standard format", "[core][plate]") {
    CHECK(isVanityText("BOSTON"));
    CHECK(isVanityText("OQ1"));
    CHECK(isVanityText("JEN22"));
    CHECK_FALSE(isVanityText("B1"));       // two letters first
    CHECK_FALSE(isVanityText("AB1C"));     // digits only after the letters
    CHECK_FALSE(isVanityText("ABCDEFG"));  // at most six
    CHECK_FALSE(isVanityText("123AB4"));
    Rng rng = Rng::stream(5, "vanity");
    std::set<size_t> lengths;
    for (int i = 0; i < 2000; ++i) {
        const std::string text = randomVanityText(rng);
        INFO(text);
        CHECK(isVanityText(text));
        CHECK_FALSE(isMassachusettsPlate(text));
        lengths.insert(text.size());
    }
    CHECK(lengths == std::set<size_t>{2, 3, 4, 5, 6});
}

TEST_CASE("The fleet's plate mix: its shares, distinct texts, and the standard serials unmoved", "[core][plate]") {
    const PlateMix mix;
    PlateGenerator mixed(Rng::stream(9, "plates"), mix), plain(Rng::stream(9, "plates"));
    std::set<std::string> texts;
    std::map<std::string, int> designs;
    int vanity = 0;
    const int n = 200'000;
    for (int i = 0; i < n; ++i) {
        Rng draws = Rng::stream(9, "mix", static_cast<uint64_t>(i));
        const IssuedPlate p = mixed.issue(draws);
        const std::string serial = plain.next();  // the same serial stream, without the mix
        CHECK(texts.insert(p.text).second);
        if (plateKind(p.text, p.design) == PlateKind::Vanity) {
            ++vanity;
            CHECK(isVanityText(p.text));
        } else {
            CHECK(p.text == serial);
        }
        ++designs[p.design];
    }
    // Binomial spread at n = 200,000: the vanity share's standard error is 0.00024.
    CHECK(std::abs(vanity / double(n) - mix.vanityShare) < 0.0012);
    for (const auto& [design, share] : mix.specialtyShares) {
        INFO(design);
        CHECK(plateKind("123AB4", design) == PlateKind::Specialty);
        CHECK(std::abs(designs[design] / double(n) - share) < 0.0012);
    }
    CHECK(designs.size() == mix.specialtyShares.size() + 1);
}

TEST_CASE("Plate kinds from text and design", "[core][plate]") {
    CHECK(plateKind("123AB4", "MA") == PlateKind::Standard);
    CHECK(plateKind("BOSTON", "MA") == PlateKind::Vanity);
    CHECK(plateKind("123AB4", "MA-250") == PlateKind::Specialty);
    CHECK(plateKind("ABC1234", "NY") == PlateKind::OutOfState);
    CHECK(std::string(plateKindName(PlateKind::OutOfState)) == "out-of-state");
}
