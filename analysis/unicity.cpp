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
    return {{"traces", tracesTotal}, {"by_points", list}};
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
    auto holders = [&](uint64_t point) {
        auto lo = std::lower_bound(postings.begin(), postings.end(), std::make_pair(point, uint32_t(0)));
        auto hi = std::lower_bound(lo, postings.end(), std::make_pair(point + 1, uint32_t(0)));
        return std::make_pair(lo, hi);
    };

    UnicityCounts result;
    result.tracesTotal = traces;
    for (int k = 1; k <= config.maxUnicityPoints; ++k) {
        std::vector<char> eligible(traces, 0), unique(traces, 0);
        tbb::parallel_for(size_t(0), traces, [&](size_t g) {
            std::vector<uint64_t> p = points[g];
            if (p.size() < static_cast<size_t>(k)) return;
            eligible[g] = 1;
            Rng rng = Rng::stream(config.seed, "unicity", uint64_t(byPlate.plates[g]) * 16 + k);
            for (int i = 0; i < k; ++i) std::swap(p[i], p[i + rng.below(p.size() - i)]);  // partial shuffle
            // Candidates: the holders of the rarest drawn point, then keep those holding the rest.
            auto rarest = std::min_element(p.begin(), p.begin() + k, [&](uint64_t a, uint64_t b) {
                auto [la, ha] = holders(a);
                auto [lb, hb] = holders(b);
                return (ha - la) < (hb - lb);
            });
            auto [lo, hi] = holders(*rarest);
            size_t matching = 0;
            for (auto it = lo; it != hi && matching < 2; ++it) {
                const auto& other = points[it->second];
                bool all = true;
                for (int i = 0; i < k && all; ++i) all = std::binary_search(other.begin(), other.end(), p[i]);
                matching += all;
            }
            unique[g] = matching == 1;  // only itself
        });
        UnicityCounts::ForK f{k, 0, 0};
        for (size_t g = 0; g < traces; ++g) {
            f.traces += eligible[g];
            f.unique += unique[g];
        }
        result.byK.push_back(f);
    }
    return result;
}

}  // namespace alprsim
