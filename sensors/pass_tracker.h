#pragma once
// One camera following the vehicles near it, frame by frame. Each simulation step the camera
// is given the vehicles near it at the step's end; positions are interpolated within the step
// and every frame the camera takes (at its frame rate, on the simulation clock) is looked at.
// A vehicle's pass lasts while it stays near the camera; when it leaves, the pass ends with a
// capture at its best frame (the widest unoccluded view of either plate), or with the reason
// it failed:
// - occluded: the plate was in view in some frames, but another vehicle always stood between;
// - too fast: the plate crossed the view between two frames (seen in a 100 Hz check, no frame);
// - out of range: the plate faced the camera inside its field of view, but never within range;
// - dark: in view, at night, and the camera has no infrared illuminator.
// Free of SUMO: tests feed it vehicle states directly.
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sensors/camera_model.h"
#include "sensors/capture.h"
#include "sim/sumo_vehicles.h"

namespace alprsim {

// A camera's pose at the start and the end of a step (equal for a fixed camera). A rig is
// the cameras of one installation (a patrol car's front and rear cameras): a vehicle seen by
// any of them is one pass, captured once, at the best view any of them had.
struct CameraMotion {
    CameraPose start, end;
};
using CameraRig = std::vector<CameraMotion>;

// Cars as boxes for line-of-sight tests.
struct VehicleBox {
    static constexpr double kWidthM = 1.8;
    static constexpr double kHeightM = 1.5;
};

class PassTracker {
public:
    PassTracker(size_t camera, CameraModel model, AmbientConditions ambient);

    // Vehicles with these ids still block the view but are never captured (patrol cars).
    void ignoreTargets(std::set<std::string> ids) { ignored_ = std::move(ids); }

    // One step from `stepStart` to `stepEnd`; `near` are the vehicles near the camera at the
    // step's end. Appends the captures of passes that ended.
    void step(double stepStart, double stepEnd, const CameraRig& rig, const std::vector<VehicleState>& near,
              std::vector<Capture>& out);
    // Ends every open pass (the end of the run).
    void finish(std::vector<Capture>& out);

    const CaptureCounts& counts() const { return counts_; }
    // No vehicle near at the last step and no pass open: a step with no one near is a no-op.
    bool idle() const { return previous_.empty(); }
    const CameraModel& model() const { return model_; }

private:
    // A still camera's field of view as four affine functions of a plate centre's ground
    // position (plate centres are all at one height): a plate whose centre makes any of them
    // negative is not in the frame (its centre is left, right, above or below the image).
    // `slope` is each function's gradient length, so that a function's maximum within a
    // distance d of a point is its value there plus d * slope.
    struct Cone {
        double g0[4], gx[4], gy[4], slope[4];
    };
    // A track's state at both ends of a step, and the step (see Pass::sampled).
    struct SampledStep {
        double stepStart = 0.0, dt = 0.0;
        VehicleState start, end;  // without the id
        double turn = 0.0;
        CameraRig rig;
        std::vector<Cone> cones;
    };
    // The best frame of a pass: enough to work out its full view when the pass ends.
    struct BestFrame {
        double time = 0.0;
        double speed = 0.0;
        bool front = true;
        recognition::Light light = recognition::Light::Day;
        CameraPose pose;
        PlatePose plate;
    };
    struct Pass {
        bool inCone = false;         // a plate faced the camera inside its field of view
        bool framedInView = false;   // a frame had a plate fully in view and range
        bool sampledInView = false;  // the 100 Hz check had a plate in view
        bool dark = false;
        bool hasBest = false;
        double bestWidth = 0.0;  // plate width in pixels at the best frame
        BestFrame best;
        // Steps whose 100 Hz check is still to be done. The check decides only the outcome of a
        // pass never framed in view (too fast, or out of range); such passes are checked when
        // they close, and the far more common passes that do get framed skip it.
        std::vector<SampledStep> sampled;
    };
    // A heading in radians, and the cosines and sines of the facings of a car's plates.
    // The rear plate's are worked out when first asked for: most frames show a camera one
    // plate at most, and the other is passed over on cheaper tests.
    struct Trig {
        double h = 0.0, cosH = 1.0, sinH = 0.0;
        double cosRear() const { return rearKnown_ ? cosRear_ : rear().first; }
        double sinRear() const { return rearKnown_ ? sinRear_ : rear().second; }
        void reset() { rearKnown_ = false; }

    private:
        std::pair<double, double> rear() const {
            const double r = h + M_PI;
            cosRear_ = std::cos(r);
            sinRear_ = std::sin(r);
            rearKnown_ = true;
            return {cosRear_, sinRear_};
        }
        mutable bool rearKnown_ = false;
        mutable double cosRear_ = -1.0, sinRear_ = 0.0;
    };
    struct Track {
        const std::string* id;
        VehicleState start, end;
        bool present;  // still near the camera at the step's end
        bool target;
        Pass* pass;  // a target's open pass
        // Remembered for the last two angles asked (a step's start and end in mayFaceCamera, a
        // step's start and a frame's in the frame search).
        const Trig& trig(double angleDeg) const;
        mutable double trigAngle_[2] = {std::nan(""), std::nan("")};
        mutable Trig trig_[2]{};
        mutable int trigNext_ = 0;  // the slot to fill next
        double turn = 0.0;          // end's heading less start's, along the shorter arc (degrees)
        // Where it is a fraction of the way through the step: interpolate(start, end,
        // fraction), bit for bit, without copying the id or working out the turn again.
        void at(double fraction, VehicleState& v) const;
    };
    // False when no plate of the track can be in the frame of any of the rig's cameras at
    // `fraction` of the step (or, with fraction < 0, at any time in the step); true when it
    // may be, or when the rig moves (no cones).
    static bool mayBeInFrame(const std::vector<Cone>& cones, const Track& track, double fraction);
    // False when a plate centred at `centre` cannot be in the frame of the still camera with
    // this cone.
    static bool mayBeInCone(const Cone& cone, const Vec3& centre);
    // A frame's view of a plate wider than the pass's best before this step.
    struct Candidate {
        double width = 0.0, distanceM = 0.0, fraction = 0.0;
        BestFrame frame;
        bool clear = false;  // tested: not occluded
    };
    // Looks at a track at one instant; a frame (isFrame) whose view could become the best
    // frame is added to candidates_.
    void lookAt(const Track& track, double t, double fraction, const CameraRig& rig, const std::vector<Cone>& cones, bool isFrame,
                Pass& pass) const;
    // The 100 Hz check of a step: looks at the track between frames until a plate is in view.
    void checkBetweenFrames(const Track& track, double stepStart, double dt, const CameraRig& rig, const std::vector<Cone>& cones,
                            Pass& pass) const;
    bool occluded(const Track& track, const std::vector<Track>& tracks, const Candidate& c) const;
    // The candidate the frame-by-frame search would keep of those wider than `above`: the
    // widest unoccluded, the first of equals in time. Occluded ones are dropped on the way;
    // nullptr if none is left.
    const Candidate* widestClear(const Track& track, const std::vector<Track>& tracks, double above) const;
    // A track's frames in a step, last to first, then the best of them (see the .cpp).
    void searchFrames(const Track& track, const std::vector<Track>& tracks, double stepStart, double stepEnd,
                      const CameraRig& rig, Pass& pass) const;
    // Above the width in pixels of either plate of the track in any camera of the rig at
    // `fraction` of the step, if that plate is in the frame (see the .cpp).
    // The rear plate's centre less the front bumper at the step's first heading, and how far
    // the step's turn may move it from there (metres), worked out once per track and step.
    struct RearOffset {
        double dx = 0.0, dy = 0.0, slack = 0.0;
    };
    RearOffset rearOffset(const Track& track) const;
    double widthBound(const Track& track, const RearOffset& rearAt, double fraction, const CameraRig& rig) const;
    // Above widthBound at every fraction from 0 to `until` (see the .cpp).
    double widthBoundUntil(const Track& track, const RearOffset& rearAt, double until, const CameraRig& rig) const;
    void close(const std::string& id, Pass& pass, std::vector<Capture>& out);
    bool mayFaceCamera(const Track& track, const CameraRig& rig) const;
    // The cosines and sines of each rig camera's heading at the step's start and end.
    struct CameraTrig {
        double headingRad[2] = {std::nan(""), std::nan("")};
        double cosHeading[2] = {}, sinHeading[2] = {};
    };
    static double dtMove(const Track& t);
    CameraBasis basisFor(size_t index, const CameraPose& pose) const;

    size_t camera_;
    CameraModel model_;
    AmbientConditions ambient_;
    std::set<std::string> ignored_;
    // A vehicle near the camera at the end of a step, with its pass (targets only: ignored
    // vehicles have none). Kept sorted by id: the vehicles of the last step and this one are
    // merged, and the passes open at the end of the run closed, in id order.
    // The passes themselves stay put in passes_ (Near holds an index): a step moves only the
    // vehicles' states, not their passes.
    static constexpr uint32_t kNoPass = UINT32_MAX;
    struct Near {
        VehicleState state;
        bool target = true;
        uint32_t pass = kNoPass;  // into passes_; kNoPass until set (and for ignored vehicles)
    };
    std::vector<Near> previous_, current_;  // current_: reused
    std::vector<Pass> passes_;              // open passes, and free ones for reuse
    std::vector<uint32_t> freePasses_;
    std::vector<uint32_t> trackPasses_;  // step's, reused: each track's pass index
    uint32_t openPass();                 // a fresh Pass
    void releasePass(uint32_t index);
    std::vector<Track> tracks_;                  // reused
    mutable std::vector<Candidate> candidates_;  // this track's, this step
    CaptureCounts counts_;
    double cosMaxYaw_ = 0.0;
    double widthBoundK_ = 0.0;  // see widthBound
    // Sets cones_ for this step's rig: the cones of its cameras, or none if one moves.
    void updateCones(const CameraRig& rig);
    std::vector<Cone> cones_;             // this step's, per rig camera; empty unless every camera is still
    std::vector<CameraPose> conesFor_;    // the poses cones_ were worked out for
    std::vector<CameraTrig> cameraTrig_;  // this step's, per rig camera
    mutable std::vector<std::pair<CameraPose, std::optional<CameraBasis>>> bases_;  // per rig camera, when still
};

// A vehicle's state a fraction of the way from `a` to `b` (heading along the shorter arc).
VehicleState interpolate(const VehicleState& a, const VehicleState& b, double fraction);
CameraPose interpolate(const CameraPose& a, const CameraPose& b, double fraction);
// Does the segment from `from` to `to` (not counting its last 5 cm) pass through the vehicle?
bool blocksSight(const VehicleState& vehicle, const Vec3& from, const Vec3& to);

}  // namespace alprsim
