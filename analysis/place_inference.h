#pragma once
// HomeWorkInference: where a plate's retained reads say the car sleeps and works, as the
// back office's "overnight" search does, checked against the population's true home and work.
//   Home anchors: each day's first read if before morningEndHour, and its last if after
//   eveningStartHour (the reads around the overnight stop).
//   Work anchors: the reads just before and after a daytime stop of at least workDwellHours
//   that begins between workArriveFromHour and workArriveToHour.
// The inferred place is the camera that is an anchor on the most distinct days, if at least
// minAnchorDays (ties: the lowest camera index); it is right if within placeRadiusMetres of the
// middle of the true home (work) edge. Simulated time 0 is midnight of day 0.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/adversary_view.h"
#include "analysis/analysis_config.h"
#include "analysis/analysis_data.h"

namespace alprsim {

enum class PlaceKind { Home, Work };

struct PlaceCounts {
    bool available = false;                 // the run has a population with such places
    std::string reason;                     // why not, when not available
    size_t vehicles = 0;                    // vehicles that have such a place
    size_t inferred = 0;                    // of those, how many got a place inferred under their plate
    size_t correct = 0;                     // ... within the radius of the true place
    size_t wrong = 0;                       // ... elsewhere
    size_t identitiesWithPlace = 0;         // plate strings with a place inferred (phantoms included)
    std::vector<uint8_t> correctByVehicle;  // per data.vehicles: 1 if its place was inferred right (not in toJson)
    nlohmann::json toJson() const;
};

// Per plate group of byPlate: the inferred camera, or kNoIndex.
std::vector<uint32_t> inferPlaces(const ReadsByPlate& byPlate, PlaceKind kind, const AnalysisConfig& config);

PlaceCounts evaluatePlaces(const AnalysisData& data, const ReadsByPlate& byPlate, PlaceKind kind, const AnalysisConfig& config);

}  // namespace alprsim
