// analysis_bench: the analysis target of issue 7: every metric, for every view and retention,
// on 10 million reads in under 60 s on 2 cores, with time growing at most linearly (1M, 2M, 4M,
// 8M reads; ratios against the 1M baseline measured in the same run).
// The input is synthetic: a jittered grid town (arterials every fifth street), commuters driving
// home -> work -> home for 7 days on Manhattan routes, cameras on random edges (4 agencies by
// quadrant), 1% of reads misread in one character. Generation is not timed; analyzeData is.
// Prints wall and CPU time per size, each size's growth against the one before, the verdict on the
// 60 s target, the machine's load average (the cores are shared: wall time depends on it), and a
// digest of every output; the smallest size is analysed again on one thread and must give the
// same digest.
// Usage: analysis_bench [largest=10000000]      synthetic sizes 1M, 2M, 4M, 8M and `largest`
//        analysis_bench --run-dir DIR            time analyzeRunDirectory on a real run
#include <tbb/global_control.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "analysis/path_inference.h"
#include "analysis/reconstructibility.h"
#include "bench/bench_clock.h"
#include "core/hash.h"
#include "core/rng.h"

using namespace alprsim;
using namespace alprsim::bench;

namespace {

constexpr int kGrid = 30;  // junctions per side
constexpr int kCameras = 400;
constexpr int kDays = 7;
constexpr double kMisreadShare = 0.01;

struct Town {
    RoadNetwork roads{std::vector<RoadEdge>{}};
    std::map<std::pair<int, int>, uint32_t> edgeBetween;              // (junction, junction) -> edge
    std::vector<std::vector<std::pair<uint32_t, double>>> camerasOn;  // edge -> (camera, position)
    std::vector<std::string> cameraIds;
};

int junction(int x, int y) { return y * kGrid + x; }

Town buildTown(Rng& rng) {
    std::vector<double> xs{0}, ys{0};
    for (int i = 1; i < kGrid; ++i) {
        xs.push_back(xs.back() + rng.uniform(120, 180));
        ys.push_back(ys.back() + rng.uniform(120, 180));
    }
    Town town;
    std::vector<RoadEdge> edges;
    std::vector<std::pair<int, int>> ends;
    auto add = [&](int x0, int y0, int x1, int y1) {
        RoadEdge e;
        e.id = "e" + std::to_string(edges.size());
        const Point2 a{xs[x0], ys[y0]}, b{xs[x1], ys[y1]};
        e.length = std::hypot(b.x - a.x, b.y - a.y);
        e.maxSpeed = (x0 == x1 && x0 % 5 == 0) || (y0 == y1 && y0 % 5 == 0) ? 20.0 : 13.9;
        e.lanes = 1;
        e.shape = {a, b};
        auto wgs = [](Point2 p) { return LatLon{42.3 + p.y / 111320.0, -71.1 + p.x / 82700.0}; };
        e.shapeWgs84 = {wgs(a), wgs(b)};
        town.edgeBetween[{junction(x0, y0), junction(x1, y1)}] = static_cast<uint32_t>(edges.size());
        ends.emplace_back(junction(x0, y0), junction(x1, y1));
        edges.push_back(e);
    };
    for (int y = 0; y < kGrid; ++y)
        for (int x = 0; x < kGrid; ++x) {
            if (x + 1 < kGrid) add(x, y, x + 1, y), add(x + 1, y, x, y);
            if (y + 1 < kGrid) add(x, y, x, y + 1), add(x, y + 1, x, y);
        }
    std::vector<std::vector<size_t>> leaving(kGrid * kGrid);
    for (size_t i = 0; i < ends.size(); ++i) leaving[ends[i].first].push_back(i);
    for (size_t i = 0; i < edges.size(); ++i)
        for (size_t j : leaving[ends[i].second])
            if (ends[j].second != ends[i].first) edges[i].successors.push_back(j);
    town.roads = RoadNetwork(edges);
    town.camerasOn.resize(edges.size());
    for (int c = 0; c < kCameras; ++c) {
        const auto e = static_cast<uint32_t>(rng.below(edges.size()));
        town.camerasOn[e].emplace_back(c, edges[e].length / 2);
        town.cameraIds.push_back("cam" + std::to_string(c));
    }
    return town;
}

std::vector<uint32_t> manhattanRoute(const Town& town, int from, int to) {
    std::vector<uint32_t> route;
    int x = from % kGrid, y = from / kGrid;
    const int tx = to % kGrid, ty = to / kGrid;
    while (x != tx) {
        const int nx = x + (tx > x ? 1 : -1);
        route.push_back(town.edgeBetween.at({junction(x, y), junction(nx, y)}));
        x = nx;
    }
    while (y != ty) {
        const int ny = y + (ty > y ? 1 : -1);
        route.push_back(town.edgeBetween.at({junction(x, y), junction(x, ny)}));
        y = ny;
    }
    return route;
}

std::string misread(std::string plate, Rng& rng) {
    static const char kChars[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    const size_t at = rng.below(plate.size());
    char c = plate[at];
    while (c == plate[at]) c = kChars[rng.below(sizeof kChars - 1)];
    plate[at] = c;
    return plate;
}

// Commuters until `targetReads` reads exist.
AnalysisData generate(const Town& town, size_t targetReads, uint64_t seed) {
    Rng rng = Rng::stream(seed, "population");
    AnalysisDataBuilder b(town.roads, "synthetic");
    const auto& edges = town.roads.edges();
    for (uint32_t e = 0; e < edges.size(); ++e)
        for (const auto& [camera, position] : town.camerasOn[e]) {
            const double x = edges[e].shape.front().x, y = edges[e].shape.front().y;
            const double mid = (kGrid - 1) * 75.0;
            const std::string agency = std::string(x < mid ? "West" : "East") + (y < mid ? "South" : "North");
            b.addCamera(town.cameraIds[camera], agency, edges[e].id, position);
        }
    size_t reads = 0;
    for (size_t v = 0; reads < targetReads; ++v) {
        const int home = static_cast<int>(rng.below(kGrid * kGrid));
        int work = home;
        while (work == home) work = static_cast<int>(rng.below(kGrid * kGrid));
        const std::string id = "v" + std::to_string(v), plate = "P" + std::to_string(100000 + v);
        const std::vector<uint32_t> there = manhattanRoute(town, home, work), back = manhattanRoute(town, work, home);
        b.addVehicle(id, plate, edges[there.front()].id, edges[back.front()].id);
        for (int day = 0; day < kDays; ++day)
            for (int leg = 0; leg < 2; ++leg) {
                const auto& route = leg == 0 ? there : back;
                const double depart = day * 86400.0 + (leg == 0 ? 7 : 16.5) * 3600 + rng.uniform(0, 7200);
                double t = depart;
                std::vector<std::string> ids;
                for (uint32_t e : route) {
                    ids.push_back(edges[e].id);
                    const double speed = edges[e].maxSpeed * 0.8;
                    for (const auto& [camera, position] : town.camerasOn[e]) {
                        const std::string asRead = rng.uniform() < kMisreadShare ? misread(plate, rng) : plate;
                        b.addRead(asRead, t + position / speed, town.cameraIds[camera], id);
                        ++reads;
                    }
                    t += edges[e].length / speed;
                }
                b.addTrip(id + "-" + std::to_string(day) + "-" + std::to_string(leg), id, depart, t, ids);
            }
    }
    b.markPopulationKnown();
    return b.finish();
}

struct Timing : Elapsed {
    size_t reads = 0, trips = 0;
    double sharePooledRoute = 0.0;
    uint64_t digest = 0;  // FNV-1a of results.json's section, trips.csv and the GeoJSON: same input, same bytes
};

Timing timeAnalysis(const AnalysisData& data) {
    const Stopwatch watch;
    const AnalysisOutput out = analyzeData(data, AnalysisConfig{});
    Timing t{watch.elapsed()};
    t.reads = data.reads.size();
    t.trips = data.trips.size();
    t.sharePooledRoute =
        out.reconstructibility.at("views")[0].at("by_retention").back().at("trips").at("share_route_reconstructed");
    std::string outcomes;
    for (const TripOutcome& o : out.tripOutcomes)
        outcomes +=
            std::to_string(o.reads) + ' ' + std::string(toString(o.level())) + ' ' + std::to_string(o.routeCoverage) + '\n';
    t.digest = fnv1a64(out.exampleTrips.dump(), fnv1a64(outcomes, fnv1a64(out.reconstructibility.dump())));
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--run-dir") {
        const Stopwatch watch;
        const AnalysisOutput out = analyzeRunDirectory(argv[2], AnalysisConfig{});
        const Elapsed spent = watch.elapsed();
        std::printf("run %s: %zu reads analysed in %.2f s wall, %.2f s CPU (loading included)\n", argv[2],
                    out.reconstructibility.at("reads_total").get<size_t>(), spent.wall, spent.cpu);
        std::fputs(plainReconstructibilitySummary(out.reconstructibility).c_str(), stdout);
        return 0;
    }
    const size_t largest = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
    Rng rng = Rng::stream(7, "town");
    const Town town = buildTown(rng);
    std::printf(
        "town: %zu edges, %d cameras, 4 agencies, %d days; full default analysis (pooled + 4 local views x 7 "
        "retentions)\n",
        town.roads.edges().size(), kCameras, kDays);
    std::vector<size_t> sizes{1'000'000, 2'000'000, 4'000'000, 8'000'000};
    std::erase_if(sizes, [&](size_t s) { return s >= largest; });
    sizes.push_back(largest);
    {
        const AnalysisData small = generate(town, 1000, 3);
        const Stopwatch watch;
        PathInference paths(small, AnalysisConfig{});
        const Elapsed spent = watch.elapsed();
        std::printf("path searches for %d cameras (2 whole-town and 2 radius-bounded per camera): %.2f s wall, %.2f s CPU\n",
                    kCameras, spent.wall, spent.cpu);
    }
    std::printf("load average before: %s\n", loadAverage().c_str());
    Timing baseline;
    std::vector<Timing> timings;
    for (size_t target : sizes) {
        const AnalysisData data = generate(town, target, 11);
        const Timing t = timeAnalysis(data);
        if (baseline.reads == 0) {
            baseline = t;
            // Same input, same bytes, whatever the thread count: the smallest size again on one thread.
            tbb::global_control oneThread(tbb::global_control::max_allowed_parallelism, 1);
            const Timing single = timeAnalysis(data);
            std::printf(
                "%10zu reads on 1 thread: %7.2f s wall %7.2f s CPU; digest %016llx: %s\n", single.reads, single.wall, single.cpu,
                static_cast<unsigned long long>(single.digest),
                single.digest == t.digest ? "identical to the multi-threaded run" : "DIFFERENT from the multi-threaded run");
            if (single.digest != t.digest) return 1;
        }
        timings.push_back(t);
        const double sizeRatio = double(t.reads) / baseline.reads;
        std::printf(
            "%10zu reads %9zu trips: %7.2f s wall %7.2f s CPU; vs baseline: size x%.2f, wall x%.2f, CPU x%.2f "
            "(CPU per read x%.2f); pooled/forever route share %.3f; digest %016llx\n",
            t.reads, t.trips, t.wall, t.cpu, sizeRatio, t.wall / baseline.wall, t.cpu / baseline.cpu,
            (t.cpu / t.reads) / (baseline.cpu / baseline.reads), t.sharePooledRoute, static_cast<unsigned long long>(t.digest));
        std::fflush(stdout);
    }
    std::printf("load average after: %s\n", loadAverage().c_str());
    std::printf("growth, each size against the one before (time ratio / size ratio; <= 1 means at most linear):\n");
    for (size_t i = 1; i < timings.size(); ++i) {
        const Timing &a = timings[i - 1], &b = timings[i];
        const double size = double(b.reads) / a.reads;
        std::printf("  %5.1fM -> %5.1fM reads: size x%.2f, wall x%.2f (%.2f), CPU x%.2f (%.2f)\n", a.reads / 1e6, b.reads / 1e6,
                    size, b.wall / a.wall, b.wall / a.wall / size, b.cpu / a.cpu, b.cpu / a.cpu / size);
    }
    const Timing& last = timings.back();
    if (last.reads >= 10'000'000)
        std::printf("target: 10M reads in < 60 s wall on 2 cores: %.2f s wall (%.2f s CPU) -> %s\n", last.wall, last.cpu,
                    last.wall < 60 ? "met" : "NOT met");
    else
        std::printf("target: not measured (largest size %zu reads < 10M)\n", last.reads);
    return 0;
}
