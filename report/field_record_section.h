#pragma once
// The page's "Against the field record" section: each run's figures (reads per patrol hour and
// per fixed camera-day, hit share, false-alert share by cause, misread share) beside the band
// real deployments measured, with the sources, and plain words where a run falls outside or
// read plates perfectly (an upper bound, never a real reader).
#include <string>
#include <vector>

#include "report/run_facts.h"

namespace alprsim::report {

// HTML (escaped); "" when no run states a field record or a recognition mode.
std::string fieldRecordSection(const std::vector<RunFacts>& runs);

}  // namespace alprsim::report
