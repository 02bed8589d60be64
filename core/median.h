#pragma once
// The one median convention of the tree: the upper median, the element at index n / 2 of the
// sorted values. It is always one of the values (for an even count the higher of the two middle
// ones, never their average), so a median of plate widths is a width some plate had; 0 for none.
#include <algorithm>
#include <vector>

namespace alprsim {

inline double median(std::vector<double> values) {
    if (values.empty()) return 0.0;
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

}  // namespace alprsim
