#pragma once
// Fixed ALPR cameras: a point on a road edge that records every vehicle crossing it.
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "sim/simulation.h"

namespace alprsim {

struct FixedCamera {
    std::string id;
    std::string agency;    // who owns the reads
    std::string edge;      // SUMO edge id
    double position = 0;   // metres from the edge's start
    LatLon where;
    std::string town;      // municipality the camera stands in
};

// A vehicle crossing a camera's position.
struct CameraPass {
    size_t camera = 0;   // index into the sensor's cameras
    std::string trip;    // SUMO vehicle id (one per trip)
    double time = 0.0;   // interpolated crossing time, simulated seconds
    double speed = 0.0;  // m/s
};

// Call observe() after every simulation step. A pass is the crossing of the camera's
// position between two steps; its time is interpolated from the two positions, so reads do
// not snap to the step grid. Vehicles that enter the edge downstream of the camera (they
// departed there) are not counted; vehicles that leave the edge within a step (crossing a
// camera near its end on the way) are.
class FixedCameraSensor {
public:
    explicit FixedCameraSensor(std::vector<FixedCamera> cameras);

    std::vector<CameraPass> observe(const Simulation& sim);
    const std::vector<FixedCamera>& cameras() const { return cameras_; }

private:
    void recordCrossings(size_t camera, const std::string& trip, double before, double after, double speed,
                         double stepEnd, double dt, std::vector<CameraPass>& out) const;
    struct EdgeWatch {
        std::string edge;
        std::vector<size_t> cameras;                         // on this edge
        std::unordered_map<std::string, VehicleOnEdge> last;  // vehicles on it at the last step
    };
    std::vector<FixedCamera> cameras_;
    std::vector<EdgeWatch> watches_;
};

}  // namespace alprsim
