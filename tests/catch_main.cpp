#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/hash.h"

// CTest starts each test case as a process of its own, two at once under -j2, all in one working
// folder. Fixtures clear and refill fixed tmp-NAME folders, so two test cases of one executable
// sharing a fixture would clear each other's files. A test case named on the command line (as
// CTest names it) therefore runs in a folder of its own, named by a hash of its name.
int main(int argc, char* argv[]) {
    if (argc >= 2 && argv[1][0] != '-') {
        const auto dir = std::filesystem::current_path() / ("case-" + alprsim::hex64(alprsim::fnv1a64(argv[1])));
        std::filesystem::create_directories(dir);
        std::filesystem::current_path(dir);
    }
    return Catch::Session().run(argc, argv);
}
