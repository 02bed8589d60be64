#pragma once
// What a camera physically sees: a pinhole model of the lens and sensor, posed in the network's
// projected frame. Given a plate's position, facing and velocity, viewPlate() says whether the
// plate is in the picture and how it looks there: its width in pixels, the angles it is seen
// at, the motion smear during the exposure and the defocus blur. These numbers decide what
// recognition can read, so they are computed from the geometry, not assumed.
namespace alprsim {

struct Vec3 {
    double x = 0.0, y = 0.0, z = 0.0;
};

// A standard North American plate: 12 x 6 inches, its centre about half a metre above the road.
struct PlateDimensions {
    static constexpr double kWidthM = 0.3048;
    static constexpr double kHeightM = 0.1524;
    static constexpr double kCentreHeightM = 0.5;
};

// Lens, sensor and mounting. The fields of view follow from sensor size and focal length
// (one way to state them); defaults are a typical fixed ALPR camera (1920x1200 global-shutter
// sensor with 3.45 um pixels, 16 mm lens: 23 x 15 degrees).
struct CameraModel {
    double focalLengthMm = 16.0;
    double pixelPitchUm = 3.45;
    int sensorWidthPx = 1920;
    int sensorHeightPx = 1200;
    double apertureF = 2.0;        // f-number: sets the depth of field
    double focusDistanceM = 18.0;  // distance the lens is focused at
    double rangeM = 35.0;          // beyond this the camera's trigger ignores plates
    double frameRateHz = 30.0;
    double exposureMs = 1.0;
    bool infrared = true;          // IR illuminator: reads at night
    double mountHeightM = 4.0;     // above the road
    double maxPlateYawDeg = 70.0;  // a plate turned further away is a sliver: not captured
    int jpegQuality = 90;

    double focalLengthPx() const { return focalLengthMm * 1000.0 / pixelPitchUm; }
    double horizontalFovDeg() const;
    double verticalFovDeg() const;
};

// Where a camera is and where it looks at one instant. Heading in radians, mathematical
// convention in the projected frame (0 = east, counter-clockwise); tilt is downwards.
struct CameraPose {
    Vec3 position;
    double headingRad = 0.0;
    double tiltDownRad = 0.0;
    Vec3 velocity;  // m/s; non-zero for a camera on a moving car
};

// A plate at one instant: its centre, the direction its face points (radians, as above) and
// the velocity of the car that carries it.
struct PlatePose {
    Vec3 centre;
    double normalRad = 0.0;
    Vec3 velocity;
};

// How a plate appears to a camera.
struct PlateView {
    bool inFrame = false;             // both plate edges project onto the sensor, in front of the lens
    bool facing = false;              // turned less than maxPlateYawDeg towards the camera
    bool inRange = false;             // within rangeM
    double distanceM = 0.0;           // lens to plate centre
    double horizontalAngleDeg = 0.0;  // off the optical axis, to the right positive
    double verticalAngleDeg = 0.0;    // off the optical axis, downwards positive
    double yawDeg = 0.0;              // plate normal vs the horizontal line of sight
    double pitchDeg = 0.0;            // camera above the plate: looking down, positive
    double rollDeg = 0.0;             // slant of the plate's horizontal edge in the image
    double plateWidthPx = 0.0;
    double motionBlurPx = 0.0;    // image motion of the plate centre during the exposure
    double defocusSigmaPx = 0.0;  // Gaussian sigma of the thin-lens blur circle
    bool visible() const { return inFrame && facing && inRange; }
};

PlateView viewPlate(const CameraModel& model, const CameraPose& camera, const PlatePose& plate);

// The camera's axes in the world: right, down (image v), forward (optical axis).
struct CameraBasis {
    Vec3 right, down, forward;
    explicit CameraBasis(const CameraPose& p);
    Vec3 toCamera(Vec3 world) const {
        return {world.x * right.x + world.y * right.y + world.z * right.z, world.x * down.x + world.y * down.y + world.z * down.z,
                world.x * forward.x + world.y * forward.y + world.z * forward.z};
    }
};

// The part of viewPlate that decides whether a plate is visible and how wide it is, computed
// the same way (the same numbers), without the angles, blur and defocus: the frame-by-frame
// search for the best frame uses it, and viewPlate is called once for the frame it keeps.
struct PlateGlance {
    bool inFrame = false, facing = false, inRange = false;
    double distanceM = 0.0;
    double plateWidthPx = 0.0;
    bool visible() const { return inFrame && facing && inRange; }
};
// The caller gives the sine and cosine of plate.normalRad (computed from that very angle, so they are the same values), and
// says whether it already knows the plate faces the camera (its own cosine test cleared the
// limit by a margin far above rounding error), which spares the angle computation.
PlateGlance glancePlate(const CameraModel& model, const CameraPose& camera, const CameraBasis& basis, const PlatePose& plate,
                        double sinNormal, double cosNormal, bool surelyFacing);

}  // namespace alprsim
