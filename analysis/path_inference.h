#pragma once
// PathInference: what the adversary can say about where a car drove between two reads.
// The road network becomes a Boost.Graph in which every road edge is two vertices (its start
// and its end) joined by an arc, and each junction turn an arc of zero cost, so a camera's
// position part-way along an edge and loops back onto the same edge come out right.
// Between two cameras the most likely path is the fastest at free-flow speed. When other paths
// are nearly as fast (within AnalysisConfig::pathAmbiguityShare), the adversary cannot tell
// which one the car took: only the road edges that every nearly-fastest path uses are known.
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "analysis/analysis_config.h"
#include "analysis/analysis_data.h"

namespace alprsim {

// Between two camera sightings (in this order).
struct CameraLeg {
    double freeFlowSeconds = std::numeric_limits<double>::infinity();  // fastest path; inf if unreachable
    std::vector<uint32_t> certainEdges;  // edges (excluding the cameras' own) on every nearly-fastest path
    std::vector<uint32_t> fastestEdges;  // the fastest path's edges, cameras' own edges included
    bool reachable() const { return freeFlowSeconds < std::numeric_limits<double>::infinity(); }
    // Whether `elapsed` seconds between the reads fit this leg (see AnalysisConfig).
    bool plausible(double elapsed, const AnalysisConfig& config) const;
};

class PathInference {
public:
    // Runs two shortest-path searches by time per camera edge over the whole network (forward and
    // backward), and two by length (forward and backward) that stop at
    // AnalysisConfig::endpointRadiusMetres, in parallel across camera edges.
    PathInference(const AnalysisData& data, const AnalysisConfig& config);
    ~PathInference();
    PathInference(const PathInference&) = delete;
    PathInference& operator=(const PathInference&) = delete;

    // The leg between camera `from` and camera `to`: computed on first use and memoised per
    // (from, to) pair, so the many reads that repeat a camera pair share one computation. Safe to
    // call from several threads at once; a leg is a pure function of the pair, so which thread
    // computes it first changes nothing.
    const CameraLeg& leg(uint32_t from, uint32_t to) const;

    // Road distance (metres) from the start of `edge` to the camera, driving; exact up to the
    // endpoint radius, inf if none (or if the road between is longer than the radius).
    double metresFromEdgeStart(uint32_t edge, uint32_t camera) const;
    // Road distance from the camera to the end of `edge`, driving; exact up to the endpoint
    // radius, inf beyond it.
    double metresToEdgeEnd(uint32_t camera, uint32_t edge) const;

private:
    struct Graph;
    CameraLeg computeLeg(uint32_t from, uint32_t to) const;

    const AnalysisData& data_;
    const AnalysisConfig& config_;
    Graph* graph_;
    // The searches start at a camera's edge, not its position, so cameras on one edge (mobile
    // sites: several per edge) share them: searchOf_[camera] is the edge's slot in the lists below.
    std::vector<uint32_t> searchOf_;
    // Per slot, per graph vertex: seconds from the camera (forward) or to it (backward).
    std::vector<std::vector<double>> forwardSeconds_, backwardSeconds_;
    // Per slot: the vertices within the endpoint radius and their metres, by vertex.
    std::vector<std::vector<std::pair<uint32_t, float>>> forwardMetres_, backwardMetres_;
    // legs_[from][to]: a row per source camera, allocated on first use; null until computed.
    using LegRow = std::atomic<const CameraLeg*>;
    mutable std::unique_ptr<std::atomic<LegRow*>[]> legs_;
};

}  // namespace alprsim
