#pragma once
// The one hash of the tree: 64-bit FNV-1a over bytes. Enough to key a cache, name a file by its
// inputs or split a set reproducibly; not a security hash. Chain it (the result as the next
// call's seed) to hash several pieces as one.
#include <cstdint>
#include <string>
#include <string_view>

namespace alprsim {

inline constexpr uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;

constexpr uint64_t fnv1a64(std::string_view bytes, uint64_t seed = kFnv1aOffset) {
    uint64_t h = seed;
    for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
}

// A hash as 16 lower-case hex digits (for file names).
std::string hex64(uint64_t value);

}  // namespace alprsim
