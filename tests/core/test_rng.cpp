#include <catch2/catch.hpp>

#include <cmath>

#include "core/rng.h"

using namespace alprsim;

TEST_CASE("Rng streams are reproducible and independent by purpose", "[core][rng]") {
    Rng a = Rng::stream(1, "demand");
    Rng b = Rng::stream(1, "demand");
    Rng c = Rng::stream(1, "plates");
    Rng d = Rng::stream(1, "demand", 1);
    int sameAsOtherPurpose = 0, sameAsOtherIndex = 0;
    for (int i = 0; i < 1000; ++i) {
        const uint64_t x = a.next();
        REQUIRE(x == b.next());
        sameAsOtherPurpose += x == c.next();
        sameAsOtherIndex += x == d.next();
    }
    CHECK(sameAsOtherPurpose == 0);
    CHECK(sameAsOtherIndex == 0);
}

TEST_CASE("Rng distributions have the right range and moments", "[core][rng]") {
    Rng r(7);
    const int n = 200000;
    double sum = 0, sumSq = 0, nsum = 0, nsumSq = 0;
    uint64_t counts[10] = {};
    for (int i = 0; i < n; ++i) {
        const double u = r.uniform();
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        sumSq += u * u;
        const uint64_t k = r.below(10);
        REQUIRE(k < 10);
        ++counts[k];
        const double z = r.normal(5.0, 2.0);
        nsum += z;
        nsumSq += z * z;
    }
    CHECK(sum / n == Approx(0.5).margin(0.01));
    CHECK(sumSq / n - (sum / n) * (sum / n) == Approx(1.0 / 12).margin(0.005));
    for (uint64_t c : counts) CHECK(std::abs(double(c) - n / 10.0) < 0.05 * n / 10.0);
    CHECK(nsum / n == Approx(5.0).margin(0.03));
    CHECK(std::sqrt(nsumSq / n - (nsum / n) * (nsum / n)) == Approx(2.0).margin(0.03));
}
