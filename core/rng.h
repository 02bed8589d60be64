#pragma once
// A small, portable random number generator. std::mt19937 is portable but the standard
// distributions are not (libstdc++ and libc++ differ), and results must be byte-identical
// for the same seed everywhere, so the distributions we need are written out here.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "core/hash.h"

namespace alprsim {

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    // An independent stream for a named purpose ("demand", "plates", day 3, ...), so that
    // adding draws to one purpose never shifts the numbers another purpose sees.
    static Rng stream(uint64_t seed, std::string_view purpose, uint64_t index = 0) {
        Rng mix(seed ^ fnv1a64(purpose));
        mix.state_ ^= index * 0x9e3779b97f4a7c15ULL;
        mix.next();
        return Rng(mix.next());
    }

    // SplitMix64: passes BigCrush, one multiply-xorshift per draw.
    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for our n).
    uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }

    // Standard normal by Box-Muller (portable: only std::log, std::sqrt, std::cos).
    double normal(double mean = 0.0, double sd = 1.0) {
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }

private:
    uint64_t state_;
};

}  // namespace alprsim
