#include "analysis/adversary_view.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace alprsim {

std::vector<uint32_t> AdversaryView::visibleReads(const AnalysisData& data) const {
    // A read made at time t is held at auditTime while auditTime - t <= retention, as
    // RetentionPolicy::oldestKept has it.
    const double oldest = std::isinf(retentionSeconds) ? -std::numeric_limits<double>::infinity() : auditTime - retentionSeconds;
    std::vector<uint32_t> visible;
    if (held) {
        for (uint32_t i : *held) {
            const AnalysisRead& r = data.reads[i];
            if (r.time >= oldest && r.time <= auditTime) visible.push_back(i);
        }
        return visible;
    }
    std::vector<char> cameraInView(data.cameras.size(), agencies.empty() ? 1 : 0);
    for (size_t c = 0; c < data.cameras.size(); ++c)
        if (std::find(agencies.begin(), agencies.end(), data.cameras[c].agency) != agencies.end()) cameraInView[c] = 1;
    // Reads are in time order: only those inside the window need looking at.
    const auto from = std::lower_bound(data.reads.begin(), data.reads.end(), oldest,
                                       [](const AnalysisRead& r, double t) { return r.time < t; });
    const auto to =
        std::upper_bound(from, data.reads.end(), auditTime, [](double t, const AnalysisRead& r) { return t < r.time; });
    for (auto it = from; it != to; ++it)
        if (cameraInView[it->camera]) visible.push_back(static_cast<uint32_t>(it - data.reads.begin()));
    return visible;
}

ReadsByPlate ReadsByPlate::group(const AnalysisData& data, const std::vector<uint32_t>& visible) {
    // Counting sort by plate keeps each plate's reads in time order (visible is in time order).
    std::vector<uint32_t> count(data.plates.size() + 1, 0);
    for (uint32_t i : visible) ++count[data.reads[i].plate + 1];
    for (size_t p = 1; p < count.size(); ++p) count[p] += count[p - 1];
    ReadsByPlate g;
    g.reads.resize(visible.size());
    g.rows.resize(visible.size());
    std::vector<uint32_t> next(count.begin(), count.end() - 1);
    for (uint32_t i : visible) {
        const uint32_t at = next[data.reads[i].plate]++;
        g.reads[at] = i;
        g.rows[at] = data.reads[i];
    }
    for (uint32_t p = 0; p < data.plates.size(); ++p)
        if (count[p + 1] > count[p]) {
            g.plates.push_back(p);
            g.offsets.push_back(count[p]);
        }
    g.offsets.push_back(static_cast<uint32_t>(visible.size()));
    return g;
}

}  // namespace alprsim
