#pragma once
// The adversary's view: the reads one store (an agency's own, or the pooled state store) still
// holds at the audit time under a retention period, grouped by plate string as the adversary
// groups them; the plate string is all it has to tell cars apart, misreads included.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analysis_data.h"

namespace alprsim {

struct AdversaryView {
    std::string name;                   // "pooled", "local:<agency>" or "all-agencies"
    std::vector<std::string> agencies;  // whose cameras' reads it holds; empty = every agency
    double retentionSeconds = 0.0;      // infinity: forever
    double auditTime = 0.0;
    // The reads the view's store held (a store of the run's store network), or null: then every
    // read the run made by the agencies' cameras.
    const std::vector<uint32_t>* held = nullptr;

    // Reads at most retentionSeconds old at auditTime (and not after it), from `held` if set, else
    // from the view's agencies; indices into data.reads, in time order.
    std::vector<uint32_t> visibleReads(const AnalysisData& data) const;
};

// Reads grouped by plate string, each group in time order.
struct ReadsByPlate {
    std::vector<uint32_t> plates;    // the plate of each group, ascending
    std::vector<uint32_t> offsets;   // group g is reads[offsets[g], offsets[g+1])
    std::vector<uint32_t> reads;     // indices into data.reads
    std::vector<AnalysisRead> rows;  // rows[i] == data.reads[reads[i]]: a copy in group order, so
                                     // that per-plate loops read memory in order

    static ReadsByPlate group(const AnalysisData& data, const std::vector<uint32_t>& visible);
    size_t size() const { return plates.size(); }
};

}  // namespace alprsim
