#pragma once
// What the reads say about people, not trips: where a car sleeps (home) and works, and how few
// of its reads single it out from every other car (unicity, de Montjoye et al. 2013). Taken from
// results.json (metrics.reconstructibility) for the view and retention period the report leads
// with, and said in sentences a select board member can read.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/report_inputs.h"
#include "report/run_facts.h"

namespace alprsim::report {

struct PlaceFinding {
    bool available = false;
    std::string reason;  // why not, when not available (as results.json says)
    uint64_t vehicles = 0, inferred = 0, correct = 0, wrong = 0;
};

struct UnicityFinding {
    int k = 0;
    uint64_t traces = 0;  // plates read at k or more distinct (camera, time bin) points
    uint64_t unique = 0;  // of those, singled out by k of their points drawn at random
};

struct PeopleFacts {
    std::string label;  // the run, as the page calls it
    std::string view;   // the view the figures are for
    double retentionSeconds = 0;
    std::optional<uint64_t> vehicles;  // every vehicle of the run
    std::optional<double> placeRadiusMetres, timeBinSeconds;
    uint64_t tracesTotal = 0, tracesTested = 0;
    std::optional<PlaceFinding> home, work;
    std::vector<UnicityFinding> unicity;  // by k, ascending
};

// Nothing when the run holds no reconstructibility analysis. Throws InputError naming
// results.json when a field has the wrong type.
std::optional<PeopleFacts> extractPeopleFacts(const ReportRun& run, const RunFacts& facts);

// The section of the page ("" when no run has these figures); HTML, escaped.
std::string peopleSectionHtml(const std::vector<PeopleFacts>& people);

// The sentences, one per finding (HTML, escaped): home, work, unicity.
std::string homeSentence(const PeopleFacts& p, const PlaceFinding& f, const std::string& place);
std::string unicitySentence(const PeopleFacts& p);

}  // namespace alprsim::report
