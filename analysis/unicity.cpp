#include "analysis/unicity.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace alprsim {

nlohmann::json UnicityCounts::toJson() const {
    nlohmann::json list = nlohmann::json::array();
    for (const ForK& f : byK)
        list.push_back({{"k", f.k}, {"traces", f.traces}, {"unique", f.unique},
                        {"share_unique", f.traces ? double(f.unique) / f.traces : 0.0}});
    return {{"traces", tracesTotal}, {"traces_tested", tracesTested}, {"by_points", list}};
}

UnicityCounts measureUnicity(const AnalysisData& data, const ReadsByPlate& byPlate, const AnalysisConfig& config) {
    const size_t traces = byPlate.size();
    // Each trace's distinct points, and the inverted index point -> traces holding it.
    std::vector<std::vector<uint64_t>> points(traces);
    tbb::parallel_for(size_t(0), traces, [&](size_t g) {
        auto& p = points[g];
        for (uint32_t i = byPlate.offsets[g]; i < byPlate.offsets[g + 1]; ++i) {
            const AnalysisRead& r = data.reads[byPlate.reads[i]];
            const auto bin = static_cast<uint64_t>(std::floor(std::max(r.time, 0.0) / config.unicityBinSeconds));
            p.push_back(bin * data.cameras.size() + r.camera);
        }
        std::sort(p.begin(), p.end());
        p.erase(std::unique(p.begin(), p.end()), p.end());
    });
    std::vector<std::pair<uint64_t, uint32_t>> postings;
    for (uint32_t g = 0; g < traces; ++g)
        for (uint64_t p : points[g]) postings.emplace_back(p, g);
    std::sort(postings.begin(), postings.end());
    using Posting = std::vector<std::pair<uint64_t, uint32_t>>::const_iterator;
    auto holders = [&](uint64_t point) -> std::pair<Posting, Posting> {
        auto lo = std::lower_bound(postings.begin(), postings.end(), std::make_pair(point, uint32_t(0)));
        auto hi = std::lower_bound(lo, postings.end(), std::make_pair(point + 1, uint32_t(0)));
        return std::make_pair(lo, hi);
    };

    // Traces to test: all, or a reproducible random sample (the cost of one test grows with the
    // number of traces sharing a point, so testing all of them would grow quadratically).
    std::vector<uint32_t> tested(traces);
    for (uint32_t g = 0; g < traces; ++g) tested[g] = g;
    if (traces > config.unicitySampleTraces) {
        Rng pick = Rng::stream(config.seed, "unicity-sample");
        for (size_t i = 0; i < config.unicitySampleTraces; ++i) std::swap(tested[i], tested[i + pick.below(traces - i)]);
        tested.resize(config.unicitySampleTraces);
        std::sort(tested.begin(), tested.end());
    }

    UnicityCounts result;
    result.tracesTotal = traces;
    result.tracesTested = tested.size();
    for (int k = 1; k <= config.maxUnicityPoints; ++k) {
        std::vector<char> eligible(tested.size(), 0), unique(tested.size(), 0);
        tbb::parallel_for(size_t(0), tested.size(), [&](size_t i) {
            const uint32_t g = tested[i];
            std::vector<uint64_t> p = points[g];
            if (p.size() < static_cast<size_t>(k)) return;
            eligible[i] = 1;
            Rng rng = Rng::stream(config.seed, "unicity", uint64_t(byPlate.plates[g]) * 16 + k);
            for (int j = 0; j < k; ++j) std::swap(p[j], p[j + rng.below(p.size() - j)]);  // partial shuffle
            // Candidates: the holders of the rarest drawn point; count those holding all k (itself included).
            size_t fewest = SIZE_MAX;
            std::pair<Posting, Posting> rarest;
            for (int j = 0; j < k; ++j) {
                const auto range = holders(p[j]);
                if (static_cast<size_t>(range.second - range.first) < fewest) {
                    fewest = range.second - range.first;
                    rarest = range;
                }
            }
            size_t matching = 0;
            for (auto it = rarest.first; it != rarest.second && matching < 2; ++it) {
                const auto& other = points[it->second];
                bool all = true;
                for (int j = 0; j < k && all; ++j) all = std::binary_search(other.begin(), other.end(), p[j]);
                matching += all;
            }
            unique[i] = matching == 1;  // only itself
        });
        UnicityCounts::ForK f{k, 0, 0};
        for (size_t i = 0; i < tested.size(); ++i) {
            f.traces += eligible[i];
            f.unique += unique[i];
        }
        result.byK.push_back(f);
    }
    return result;
}

}  // namespace alprsim
