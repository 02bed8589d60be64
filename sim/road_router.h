#pragma once
// Least-cost paths over the road graph, for planning a day's routes without SUMO's router.
//
// Nodes are edges (a route is a list of edges) and arcs are the turns across junctions that
// passenger cars may take (RoadEdge::successors). A search runs Dijkstra from one origin until
// every edge it was asked about is settled, so one search routes all of a day's trips that
// leave from the same place: a town's trips start from a few thousand places, and routing them
// pair by pair was most of a day's planning time.
//
// A search for one target can be goal-directed (A* with landmarks, "ALT": Goldberg and Harrelson,
// Computing the shortest path: A* search meets graph theory, SODA 2005): free-flow costs from
// and to a few landmark edges bound the remaining cost from below by the triangle inequality,
// and stay valid bounds under congestion because a congested edge costs at least its free-flow
// time. The congestion assignment asks one target per search, thousands of times a day.
//
// Determinism: ties go to the lower edge index (the queue orders by cost, then index) and a
// label changes only on a strictly lower cost, so a path does not depend on which other
// targets the search was asked about, nor on the order searches are made in.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "sim/road_network.h"

namespace alprsim {

// An edge's travel time on an empty road, in seconds: the cost the router's landmark bounds
// are computed on, and the least any congested cost may be (sim/route_assignment.h scales it).
inline double freeFlowSeconds(const RoadEdge& e) { return e.maxSpeed > 0 ? e.length / e.maxSpeed : 0.0; }

// Aligned to a cache line: routers of different threads sit side by side in a vector, and a
// search writes its own members (the queue's end, counters) on every step.
class alignas(64) RoadRouter {
public:
    explicit RoadRouter(const RoadNetwork& network);

    // Least-cost paths from `from` to each of `targets` (in their order; origin first, empty
    // where a target cannot be reached), on the cost of entering each edge (`cost`, one value
    // per edge): one search that settles edges outwards until all targets are settled. A pair's
    // path does not depend on the other targets asked for.
    std::vector<std::vector<size_t>> paths(size_t from, const std::vector<size_t>& targets, const std::vector<double>& cost);
    // The least-cost path from `from` to `to`, goal-directed by the landmarks. `cost` must be at
    // least each edge's free-flow time (the landmarks' bounds assume it). Among paths of equal
    // cost it may choose another than `paths` would.
    std::vector<size_t> path(size_t from, size_t to, const std::vector<double>& cost);

    // Least-cost paths from `from` to every edge, as a tree: tree[e] is the edge before e on
    // its path (tree[from] = from; kNoEdge where e cannot be reached). The path pathInTree reads
    // from it to a target is the one `paths` gives.
    static constexpr uint32_t kNoEdge = UINT32_MAX;
    std::vector<uint32_t> tree(size_t from, const std::vector<double>& cost);
    static std::vector<uint32_t> pathInTree(const std::vector<uint32_t>& tree, size_t from, size_t to);

    // Cost of entering each edge on empty roads: its free-flow travel time in seconds.
    static std::vector<double> freeFlowCosts(const RoadNetwork& network);

    // A router is copied (for another thread: a router searches one path at a time) with its
    // landmarks shared, not computed again.
    RoadRouter(const RoadRouter&) = default;
    RoadRouter& operator=(const RoadRouter&) = default;

    // Edges settled by the searches so far (to measure how goal-directed they are).
    size_t settledCount() const { return settledCount_; }

private:
    // Dijkstra from `from` with the given potential (0 everywhere, or a landmark bound), until
    // every target is settled (no targets: every edge it reaches); then pathTo reads the paths.
    template <typename Potential>
    void run(size_t from, const std::vector<size_t>* targets, const std::vector<double>& cost, Potential potential);
    using HeapEntry = unsigned __int128;  // (key, edge) in one number (road_router.cpp)
    static HeapEntry heapEntry(double key, uint32_t edge);
    void heapUp(size_t slot, HeapEntry entry);    // puts entry at slot or above it
    uint32_t heapPop();                           // the least edge, taken out
    std::vector<size_t> pathTo(size_t to) const;  // of the last run; empty if not settled
    // Free-flow costs from every edge to every edge, in one direction, from `origin`.
    std::vector<double> costsFrom(size_t origin, bool reverse) const;
    void chooseLandmarks(const std::vector<double>& freeFlow);

    static constexpr size_t kLandmarks = 8;
    std::vector<uint32_t> arcStart_, arcTarget_;    // successors, flattened (CSR)
    std::vector<uint32_t> backStart_, backTarget_;  // predecessors, flattened
    std::vector<double> freeFlow_;
    // Free-flow costs from and to the landmarks, edge by edge (landmarks_ of them): for edge e,
    // [e * 2L + l] from landmark l (+infinity where unreached) and [e * 2L + L + l] to it
    // (-infinity where it cannot be reached), so that an unreached landmark's term of a lower
    // bound is -infinity and drops out of the maximum. Shared by copies of the router.
    std::shared_ptr<const std::vector<double>> landmarkCosts_;
    size_t landmarks_ = 0;
    size_t settledCount_ = 0;
    // An edge's label in the searches, in one place (a search reads them all when it reaches it).
    struct Label {
        double dist = 0.0, potential = 0.0;  // cost from the origin; the potential's value
        uint32_t previous = 0;               // the edge before it on the path
        uint32_t touched = 0, settled = 0;   // which search last labelled / settled it
        uint32_t heapSlot = 0;               // where it is in heap_ while queued
    };
    std::vector<Label> labels_;
    std::vector<uint32_t> wanted_;  // which search asks for an edge
    std::vector<HeapEntry> heap_;   // the search's queue
    uint32_t epoch_ = 0;
    size_t from_ = 0;
};

// Runs job(k, router) for k from 0 to count - 1 on `threads` threads (0: one per core), each
// thread with its own router of `routers` (copies of the first are added as needed; there must
// be one), k in no particular order; rethrows the first exception a job threw. A path depends
// only on its search's arguments, so the searches give the same paths however many threads.
void forEachWithRouter(size_t count, unsigned threads, std::vector<RoadRouter>& routers,
                       const std::function<void(size_t, RoadRouter&)>& job);

}  // namespace alprsim
