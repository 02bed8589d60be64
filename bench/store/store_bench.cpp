// store_bench: the read store's targets on a synthetic month of reads (issue 6):
//   insert >= 200,000 reads/s; plate history on a 10M-read store < 10 ms;
//   purge of a day's reads from a 10M-read store < 2 s.
// Prints figures and their ratio to the target (above 1 means the target is met).
// Usage: store_bench [reads=10000000] [folder=<temp>]   (the folder is removed afterwards)
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "bench/bench_clock.h"
#include "core/plate.h"
#include "store/back_office.h"
#include "store/store_network.h"

using namespace alprsim;
using namespace alprsim::bench;
namespace fs = std::filesystem;

namespace {
constexpr double kDay = 86400.0;
constexpr double kMonth = 30 * kDay;
constexpr int kCameras = 300;
constexpr size_t kBatch = 100000;

// A month of reads, in time order, from kCameras cameras of `agencies` agencies, of plates
// drawn uniformly from a fleet (about 20 reads per plate over the month at 10M reads).
class SyntheticReads {
public:
    SyntheticReads(int64_t total, int agencies, uint64_t seed) : total_(total), rng_(Rng::stream(seed, "bench-reads")) {
        PlateGenerator plates(Rng::stream(seed, "bench-plates"));
        const int64_t fleetSize = std::max<int64_t>(1000, total / 20);
        for (int64_t i = 0; i < fleetSize; ++i) fleet_.push_back({"veh" + std::to_string(i), plates.next()});
        for (int c = 0; c < kCameras; ++c) {
            const std::string agency = "Agency" + std::to_string(c % agencies);
            cameras_.push_back({"cam" + std::to_string(c), agency, "edge" + std::to_string(c), 0.0,
                                LatLon{42.2 + 0.001 * (c / 20), -71.3 + 0.001 * (c % 20)}});
        }
    }
    const std::vector<Registration>& fleet() const { return fleet_; }
    const std::vector<CameraRecord>& cameras() const { return cameras_; }

    // The next batch; false when all reads have been handed out.
    bool next(std::vector<Read>& reads, std::vector<ReadTruth>& truth) {
        reads.clear();
        truth.clear();
        for (; made_ < total_ && reads.size() < kBatch; ++made_) {
            const Registration& v = fleet_[rng_.below(fleet_.size())];
            const CameraRecord& c = cameras_[rng_.below(cameras_.size())];
            const double time = kMonth * static_cast<double>(made_) / static_cast<double>(total_);
            reads.push_back({v.plate, time, c.id, c.where, 0.9});
            truth.push_back({v.vehicle, v.plate});
        }
        return !reads.empty();
    }

private:
    int64_t total_;
    int64_t made_ = 0;
    Rng rng_;
    std::vector<Registration> fleet_;
    std::vector<CameraRecord> cameras_;
};

struct Latency {
    double median, p99, max;
};
Latency summarise(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.back()};
}

void printRate(const char* what, int64_t reads, const Elapsed& t, double target) {
    const double wallRate = static_cast<double>(reads) / t.wall;
    const double cpuRate = static_cast<double>(reads) / t.cpu;
    std::printf("%-46s %8.0f reads/s wall, %8.0f reads/s CPU  (%lld reads, %.2f s wall, %.2f s CPU)", what, wallRate, cpuRate,
                static_cast<long long>(reads), t.wall, t.cpu);
    if (target > 0) std::printf("  target %.0f, ratio %.2f wall, %.2f CPU", target, wallRate / target, cpuRate / target);
    std::printf("\n");
}

void printLatency(const char* what, const Latency& l, double targetMs) {
    std::printf("%-48s median %.3f ms  p99 %.3f ms  max %.3f ms", what, l.median, l.p99, l.max);
    if (targetMs > 0) std::printf("  target < %.0f ms, ratio (target/p99) %.1f", targetMs, targetMs / l.p99);
    std::printf("\n");
}

// Fills `store` (a StoreNetwork, or a bare ReadStore) from `reads`; returns the time spent
// storing them.
template <class Store>
Elapsed fill(Store& store, SyntheticReads& reads) {
    std::vector<Read> batch;
    std::vector<ReadTruth> truth;
    Elapsed total;
    while (reads.next(batch, truth)) {
        const Stopwatch watch;
        if constexpr (std::is_same_v<Store, ReadStore>)
            store.insert(batch, truth);
        else
            store.record(batch, truth);
        total += watch.elapsed();
    }
    return total;
}

HotList hotListFor(const SyntheticReads& reads) {
    HotListSpec spec;
    spec.share = 0.002;
    return HotList::draw(spec, reads.fleet(), Rng::stream(1, "bench-hot-list"));
}
}  // namespace

int main(int argc, char** argv) {
    const int64_t total = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
    const fs::path root =
        argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / ("alprsim-store-bench-" + std::to_string(getpid()));
    fs::remove_all(root);
    std::printf("store_bench: %lld synthetic reads over 30 simulated days, %d cameras, in %s\n", static_cast<long long>(total),
                kCameras, root.c_str());

    // 1. The large store: one agency, local sharing, everything kept for 29 days.
    SyntheticReads big(total, 1, 1);
    StoreSettings settings;
    settings.retention = RetentionPolicy::keepFor(29 * kDay);
    StoreNetwork network = StoreNetwork::create(root / "big", settings, big.cameras(), hotListFor(big));
    printRate("insert via StoreNetwork::record, 1 agency", total, fill(network, big), 200000);
    network.checkpoint();
    ReadStore& store = network.agencyStore("Agency0");
    std::printf("%-44s %lld reads, %.0f MB, %lld alerts-ready hot-list plates\n", "store size",
                static_cast<long long>(store.readCount()), static_cast<double>(fs::file_size(store.path())) / 1e6,
                static_cast<long long>(network.hotList().entries().size()));

    // 2. Plate history on the full store, raw and through the audited back office.
    Rng pick = Rng::stream(1, "bench-queries");
    std::vector<double> rawMs, rawCpuMs, officeMs, officeCpuMs;
    size_t rowsSeen = 0;
    BackOffice office(network, "Agency0");
    for (int q = 0; q < 1000; ++q) {
        const std::string& plate = big.fleet()[pick.below(big.fleet().size())].plate;
        const Stopwatch raw;
        rowsSeen += store.plateHistory(plate, 0.0, kMonth).size();
        rawMs.push_back(raw.elapsed().wall * 1e3);
        rawCpuMs.push_back(raw.elapsed().cpu * 1e3);
        const Stopwatch audited;
        office.history(kMonth, plate, 0.0, kMonth);
        officeMs.push_back(audited.elapsed().wall * 1e3);
        officeCpuMs.push_back(audited.elapsed().cpu * 1e3);
    }
    std::printf("%-44s %.1f reads per plate on average, over 30 day partitions\n", "plate history, 1000 random plates",
                rowsSeen / 1000.0);
    printLatency("  ReadStore::plateHistory (no audit), wall", summarise(rawMs), 10);
    printLatency("  ReadStore::plateHistory (no audit), CPU", summarise(rawCpuMs), 10);
    printLatency("  BackOffice::history (+retention, audit), wall", summarise(officeMs), 10);
    printLatency("  BackOffice::history (+retention, audit), CPU", summarise(officeCpuMs), 10);

    // Other searches, for scale (no targets).
    std::vector<double> searchMs, coTravelMs;
    for (int q = 0; q < 50; ++q) {
        const std::string& plate = big.fleet()[pick.below(big.fleet().size())].plate;
        auto start = Clock::now();
        office.plateSearch(kMonth, plate.substr(0, 3) + "*", 0.0, kDay);
        searchMs.push_back(secondsSince(start) * 1e3);
        start = Clock::now();
        office.coTravel(kMonth, plate, 0.0, kMonth, 60.0, 2);
        coTravelMs.push_back(secondsSince(start) * 1e3);
    }
    printLatency("  plate search \"ABC*\" over a day", summarise(searchMs), 0);
    printLatency("  co-travel over the month, 60 s window", summarise(coTravelMs), 0);

    // 3. Purge: at day 30 a 29-day retention drops day 0.
    const int64_t before = store.readCount();
    const Stopwatch purgeWatch;
    const int64_t purged = network.purge(kMonth);
    const Elapsed purge = purgeWatch.elapsed();
    std::printf("%-44s %lld of %lld reads deleted in %.3f s wall, %.3f s CPU  target < 2 s, ratio %.2f wall, %.2f CPU\n",
                "purge of the oldest day", static_cast<long long>(purged), static_cast<long long>(before), purge.wall, purge.cpu,
                2.0 / purge.wall, 2.0 / purge.cpu);
    const Stopwatch checkpointWatch;
    network.checkpoint();
    std::printf("%-44s %.3f s wall\n", "  checkpoint after the purge", checkpointWatch.elapsed().wall);

    // 4. Baselines on 1M reads: a bare ReadStore, and a pooled network (every read written twice).
    const int64_t small = std::min<int64_t>(total, 1'000'000);
    {
        SyntheticReads reads(small, 1, 2);
        ReadStore bare = ReadStore::create(root / "bare.sqlite");
        bare.addCameras(reads.cameras());
        printRate("insert via ReadStore::insert, fresh store", small, fill(bare, reads), 200000);
    }
    {
        SyntheticReads reads(small, 4, 3);
        StoreSettings pooled;
        pooled.sharing.mode = SharingMode::Pooled;
        StoreNetwork net = StoreNetwork::create(root / "pooled", pooled, reads.cameras(), hotListFor(reads));
        printRate("insert via record, 4 agencies pooled (x2 rows)", small, fill(net, reads), 200000);
        const HotListReport report = net.hotListReport();
        std::printf("%-44s %.4f%% of reads (Maryland 2012: %.1f%%), %lld of %zu flagged vehicles found\n",
                    "  hot-list hit share (0.2% of fleet flagged)", 100 * report.hitShare(),
                    100 * HotListReport::kMarylandHitShare,
                    static_cast<long long>(std::count_if(report.detections.begin(), report.detections.end(),
                                                         [](const auto& d) { return d.firstTrueAlert.has_value(); })),
                    report.detections.size());
    }
    fs::remove_all(root);
    return 0;
}
