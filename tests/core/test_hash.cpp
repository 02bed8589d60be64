// core/hash.h: FNV-1a as published (the test vectors of its reference), chained, and in hex.
#include <catch2/catch.hpp>

#include "core/hash.h"

using namespace alprsim;

TEST_CASE("fnv1a64 gives the reference values, and chaining hashes the pieces as one", "[core][hash]") {
    CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
    CHECK(fnv1a64("bar", fnv1a64("foo")) == fnv1a64("foobar"));
    CHECK(fnv1a64(std::string("a\0b", 3)) != fnv1a64("ab"));  // every byte counts, NUL too
    CHECK(hex64(0xaf63dc4c8601ec8cULL) == "af63dc4c8601ec8c");
    CHECK(hex64(1) == "0000000000000001");
}
