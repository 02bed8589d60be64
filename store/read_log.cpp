#include "store/read_log.h"

#include <algorithm>

namespace alprsim {

uint32_t ReadLog::Names::intern(const std::string& name) {
    const auto [it, added] = index.try_emplace(name, static_cast<uint32_t>(names.size()));
    if (added) names.push_back(name);
    return it->second;
}

void ReadLog::add(const Read& read, const ReadTruth& truth) {
    if (!entries_.empty() && read.time < entries_.back().time) sorted_ = false;
    entries_.push_back(Entry{read.time, read.where, read.confidence, plates_.intern(read.plate), cameras_.intern(read.camera),
                             vehicles_.intern(truth.vehicle), plates_.intern(truth.truePlate)});
}

const std::vector<ReadLog::Entry>& ReadLog::inTimeOrder() {
    // The store keys reads by time and, within a time, by the order they arrived (a later read
    // of the same time gets a larger key), and gives them back in key order: a stable sort.
    if (sorted_) return entries_;
    std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.time < b.time; });
    sorted_ = true;
    return entries_;
}

}  // namespace alprsim
