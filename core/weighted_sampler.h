#pragma once
// Draws indices with probability proportional to their weights (inverse CDF on a prefix sum).
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "core/rng.h"

namespace alprsim {

class WeightedSampler {
public:
    WeightedSampler() = default;
    explicit WeightedSampler(const std::vector<double>& weights) {
        double total = 0.0;
        cumulative_.reserve(weights.size());
        for (double w : weights) {
            total += std::max(w, 0.0);
            cumulative_.push_back(total);
        }
    }
    bool empty() const { return cumulative_.empty() || cumulative_.back() <= 0.0; }
    size_t draw(Rng& rng) const {
        if (empty()) throw std::logic_error("WeightedSampler: nothing to draw from");
        const double u = rng.uniform() * cumulative_.back();
        const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
        return std::min(static_cast<size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
    }

private:
    std::vector<double> cumulative_;
};

}  // namespace alprsim
