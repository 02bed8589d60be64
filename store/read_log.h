#pragma once
// ReadLog: every read a run made, with its truth, held in memory in compact form (the strings
// interned: a read is 48 bytes, against about 160 as Read and ReadTruth), so that the run's own
// evaluation (reads per trip, the analysis) reads what the run already holds instead of reading
// reads.sqlite back, and a run merging its day processes can write its stores from it while it
// analyses itself. It gives the reads in the order reads.sqlite gives them back
// (ReadStore::forEachReadWithTruth): by time, reads of the same time in the order added.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "store/read_store.h"

namespace alprsim {

class ReadLog {
public:
    // One read: indices into plates(), cameras() and vehicles().
    struct Entry {
        double time = 0.0;
        LatLon where;
        double confidence = 1.0;
        uint32_t plate = 0;  // as read
        uint32_t camera = 0;
        uint32_t vehicle = 0;    // ground truth
        uint32_t truePlate = 0;  // ground truth
    };

    void add(const Read& read, const ReadTruth& truth);
    size_t size() const { return entries_.size(); }
    // The reads in the order added (what counting needs: no sort).
    const std::vector<Entry>& entries() const { return entries_; }
    // The reads by time, reads of the same time in the order added (sorts once, stably, if they
    // were not added in that order; changes nothing if they were, so threads may then share it).
    const std::vector<Entry>& inTimeOrder();

    // An entry as the read and truth it was added as.
    Read read(const Entry& e) const { return {plates_.names[e.plate], e.time, cameras_.names[e.camera], e.where, e.confidence}; }
    ReadTruth truth(const Entry& e) const { return {vehicles_.names[e.vehicle], plates_.names[e.truePlate]}; }

    const std::vector<std::string>& plates() const { return plates_.names; }  // as read, and true plates
    const std::vector<std::string>& cameras() const { return cameras_.names; }
    const std::vector<std::string>& vehicles() const { return vehicles_.names; }

private:
    struct Names {
        std::vector<std::string> names;
        std::unordered_map<std::string, uint32_t> index;
        uint32_t intern(const std::string& name);
    };
    std::vector<Entry> entries_;
    bool sorted_ = true;
    Names plates_, cameras_, vehicles_;
};

}  // namespace alprsim
