#include "analysis/unicity.h"

#include <nlohmann/json.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "core/rng.h"

namespace alprsim {

nlohmann::json UnicityCounts::toJson() const {
    nlohmann::json list = nlohmann::json::array();
    for (const ForK& f : byK)
        list.push_back({{"k", f.k},
                        {"traces", f.traces},
                        {"unique", f.unique},
                        {"share_unique", f.traces ? double(f.unique) / f.traces : 0.0}});
    return {{"traces", tracesTotal}, {"traces_tested", tracesTested}, {"by_points", list}};
}

namespace {

// Which traces hold each query point: a compressed row per point, traces ascending.
class PointHolders {
public:
    PointHolders(std::vector<uint64_t> queryPoints) : points_(std::move(queryPoints)) {
        if (points_.empty()) return;
        const uint64_t span = points_.back() - points_.front() + 1;
        if (span <= kDenseLimit) {  // a direct table from point to row
            dense_.assign(span, kNone);
            for (uint32_t q = 0; q < points_.size(); ++q) dense_[points_[q] - points_.front()] = q;
        }
    }
    // The row of `point`, or kNone if it is not a query point.
    uint32_t row(uint64_t point) const {
        if (points_.empty() || point < points_.front() || point > points_.back()) return kNone;
        if (!dense_.empty()) return dense_[point - points_.front()];
        const auto it = std::lower_bound(points_.begin(), points_.end(), point);
        return it != points_.end() && *it == point ? static_cast<uint32_t>(it - points_.begin()) : kNone;
    }
    size_t rows() const { return points_.size(); }
    // Two passes over every trace's points (traces in ascending order): count, then fill.
    template <typename ForEachTracePoint>
    void build(size_t traces, const ForEachTracePoint& forEachPoint) {
        offsets_.assign(rows() + 1, 0);
        std::vector<uint32_t> last(rows(), kNone);
        for (uint32_t g = 0; g < traces; ++g)
            forEachPoint(g, [&](uint64_t point) {
                const uint32_t q = row(point);
                if (q == kNone || last[q] == g) return;
                last[q] = g;
                ++offsets_[q + 1];
            });
        for (size_t q = 1; q < offsets_.size(); ++q) offsets_[q] += offsets_[q - 1];
        holders_.resize(offsets_.back());
        std::vector<uint32_t> next(offsets_.begin(), offsets_.end() - 1);
        std::fill(last.begin(), last.end(), kNone);
        for (uint32_t g = 0; g < traces; ++g)
            forEachPoint(g, [&](uint64_t point) {
                const uint32_t q = row(point);
                if (q == kNone || last[q] == g) return;
                last[q] = g;
                holders_[next[q]++] = g;
            });
    }
    const uint32_t* begin(uint32_t q) const { return holders_.data() + offsets_[q]; }
    const uint32_t* end(uint32_t q) const { return holders_.data() + offsets_[q + 1]; }
    size_t count(uint32_t q) const { return offsets_[q + 1] - offsets_[q]; }

    static constexpr uint32_t kNone = UINT32_MAX;

private:
    static constexpr uint64_t kDenseLimit = uint64_t{1} << 24;
    std::vector<uint64_t> points_;  // sorted, distinct
    std::vector<uint32_t> dense_;   // point - points_.front() -> row, when the span is small
    std::vector<uint32_t> offsets_, holders_;
};

// out = [a, aEnd) ∩ [b, bEnd), both ascending, in ascending order: binary searches into the
// longer list when the shorter is much shorter, else the shorter marked in `bits` (one bit per
// trace, all clear on entry and on return) and the longer tested against it; a bit test has no
// branch to mispredict, unlike a merge.
void intersectSorted(const uint32_t* a, const uint32_t* aEnd, const uint32_t* b, const uint32_t* bEnd,
                     std::vector<uint64_t>& bits, std::vector<uint32_t>& out) {
    out.clear();
    if (aEnd - a > bEnd - b) {
        std::swap(a, b);
        std::swap(aEnd, bEnd);
    }
    if ((aEnd - a) * 16 < bEnd - b) {
        for (; a != aEnd && b != bEnd; ++a) {
            b = std::lower_bound(b, bEnd, *a);
            if (b != bEnd && *b == *a) out.push_back(*a);
        }
        return;
    }
    for (const uint32_t* x = a; x != aEnd; ++x) bits[*x >> 6] |= uint64_t{1} << (*x & 63);
    for (const uint32_t* y = b; y != bEnd; ++y)
        if ((bits[*y >> 6] >> (*y & 63)) & 1) out.push_back(*y);
    for (const uint32_t* x = a; x != aEnd; ++x) bits[*x >> 6] = 0;
}

}  // namespace

UnicityCounts measureUnicity(const AnalysisData& data, const ReadsByPlate& byPlate, const AnalysisConfig& config) {
    const size_t traces = byPlate.size();
    const uint64_t cameras = data.cameras.size();
    auto pointOf = [&](const AnalysisRead& r) {
        const auto bin = static_cast<uint64_t>(std::floor(std::max(r.time, 0.0) / config.unicityBinSeconds));
        return bin * cameras + r.camera;
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

    // Each tested trace's distinct points; only those can be drawn, so only their holders are
    // needed (an inverted index over every trace's points would cost a sort of all reads).
    std::vector<std::vector<uint64_t>> points(tested.size());
    tbb::parallel_for(size_t(0), tested.size(), [&](size_t i) {
        const uint32_t g = tested[i];
        auto& p = points[i];
        p.reserve(byPlate.offsets[g + 1] - byPlate.offsets[g]);
        for (uint32_t j = byPlate.offsets[g]; j < byPlate.offsets[g + 1]; ++j) p.push_back(pointOf(byPlate.rows[j]));
        std::sort(p.begin(), p.end());
        p.erase(std::unique(p.begin(), p.end()), p.end());
    });
    std::vector<uint64_t> query;
    for (const auto& p : points) query.insert(query.end(), p.begin(), p.end());
    std::sort(query.begin(), query.end());
    query.erase(std::unique(query.begin(), query.end()), query.end());
    PointHolders holders(std::move(query));
    holders.build(traces, [&](uint32_t g, const auto& visit) {
        for (uint32_t j = byPlate.offsets[g]; j < byPlate.offsets[g + 1]; ++j) visit(pointOf(byPlate.rows[j]));
    });

    UnicityCounts result;
    result.tracesTotal = traces;
    result.tracesTested = tested.size();
    tbb::enumerable_thread_specific<std::vector<uint64_t>> traceBits;  // per thread, for intersectSorted
    for (int k = 1; k <= config.maxUnicityPoints; ++k) {
        std::vector<char> eligible(tested.size(), 0), unique(tested.size(), 0);
        tbb::parallel_for(size_t(0), tested.size(), [&](size_t i) {
            const uint32_t g = tested[i];
            std::vector<uint64_t> p = points[i];
            if (p.size() < static_cast<size_t>(k)) return;
            eligible[i] = 1;
            Rng rng = Rng::stream(config.seed, "unicity", uint64_t(byPlate.plates[g]) * 16 + k);
            for (int j = 0; j < k; ++j) std::swap(p[j], p[j + rng.below(p.size() - j)]);  // partial shuffle
            // The traces holding all k drawn points (itself included): the holder lists
            // intersected, rarest first, stopping once only the trace itself is left.
            std::vector<uint32_t> drawn(k);
            for (int j = 0; j < k; ++j) drawn[j] = holders.row(p[j]);
            std::sort(drawn.begin(), drawn.end(), [&](uint32_t a, uint32_t b) {
                return holders.count(a) != holders.count(b) ? holders.count(a) < holders.count(b) : a < b;
            });
            if (k == 1) {
                unique[i] = holders.count(drawn[0]) == 1;
                return;
            }
            std::vector<uint64_t>& bits = traceBits.local();
            if (bits.empty()) bits.assign(traces / 64 + 1, 0);
            std::vector<uint32_t> common;
            intersectSorted(holders.begin(drawn[0]), holders.end(drawn[0]), holders.begin(drawn[1]), holders.end(drawn[1]), bits,
                            common);
            std::vector<uint32_t> next;
            for (int j = 2; j < k && common.size() > 1; ++j) {
                intersectSorted(common.data(), common.data() + common.size(), holders.begin(drawn[j]), holders.end(drawn[j]),
                                bits, next);
                common.swap(next);
            }
            unique[i] = common.size() == 1;  // only itself
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
