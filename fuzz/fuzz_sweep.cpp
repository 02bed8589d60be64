// Fuzzes the sweep loader: a sweep file's bytes in, through loadSweepSpec() (its "base" may
// name copies of scenarios/*.json beside it) and, for sweeps of a modest size, planSweep(),
// which sets every parameter path in the base scenario. The contract: a plan or an
// InputError. Planning is linear in the number of runs by design (up to SweepLimits::kMaxRuns),
// so sweeps above kMaxPlannedRuns are only loaded, not planned, to keep each input fast.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "sweep/sweep_plan.h"
#include "sweep/sweep_spec.h"

namespace {
constexpr double kMaxPlannedRuns = 256;

double runCount(const alprsim::SweepSpec& spec) {
    double runs = spec.seeds.empty() ? 1 : static_cast<double>(spec.seeds.size());
    for (const auto& axis : spec.grid) runs *= static_cast<double>(axis.values.size());
    if (!spec.zip.empty()) runs *= static_cast<double>(spec.zip[0].values.size());
    return runs;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto file = alprsim::fuzz::writeScratchFile("fuzzed-sweep.json", data, size);
    try {
        const alprsim::SweepSpec spec = alprsim::loadSweepSpec(file);
        if (runCount(spec) <= kMaxPlannedRuns) alprsim::planSweep(spec);
    } catch (const alprsim::InputError&) {
        // refused with a message: the expected outcome for bad input
    }
    return 0;
}
