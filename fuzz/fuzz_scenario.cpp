// Fuzzes the scenario loader and validator: a scenario file's bytes in, through "extends"
// resolution (the file sits beside copies of scenarios/*.json, so it may extend them) and
// every field check of loadScenario(). The contract: any input gives a Scenario or an
// InputError (exit 2). Any other exception, a crash, a leak or a hang is a finding.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "scenarios/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto file = alprsim::fuzz::writeScratchFile("fuzzed-scenario.json", data, size);
    try {
        alprsim::loadScenario(file);
    } catch (const alprsim::InputError&) {
        // refused with a message: the expected outcome for bad input
    }
    return 0;
}
