#include "sim/sumo_vehicles.h"

#include <libsumo/libsumo.h>

namespace alprsim {

bool SumoVehicles::motion(const std::string& id, VehicleState& out) const {
    try {
        const auto p = libsumo::Vehicle::getPosition(id);
        out.position = {p.x, p.y};
        out.angleDeg = libsumo::Vehicle::getAngle(id);
        out.speed = libsumo::Vehicle::getSpeed(id);
        return p.x > libsumo::INVALID_DOUBLE_VALUE;
    } catch (const libsumo::TraCIException&) {
        return false;
    }
}

double SumoVehicles::length(const std::string& id) const {
    try {
        return libsumo::Vehicle::getLength(id);
    } catch (const libsumo::TraCIException&) {
        return 5.0;  // SUMO's default passenger car
    }
}

double SumoVehicles::speed(const std::string& id) const {
    try {
        return libsumo::Vehicle::getSpeed(id);
    } catch (const libsumo::TraCIException&) {
        return -1.0;
    }
}

bool SumoVehicles::parkFor(const std::string& id, const std::string& edge, double position, double seconds) {
    try {
        libsumo::Vehicle::setStop(id, edge, position, 0, seconds, libsumo::STOP_PARKING);
        return true;
    } catch (const libsumo::TraCIException&) {
        return false;
    }
}

void SumoVehicles::onEdge(const std::string& edge, std::vector<std::string>& out) const {
    out = libsumo::Edge::getLastStepVehicleIDs(edge);
}

namespace {

// What a camera needs of a vehicle each step; its length is asked once and remembered.
const std::vector<int> kMotionVariables = {libsumo::VAR_POSITION, libsumo::VAR_ANGLE, libsumo::VAR_SPEED};

double resultDouble(const libsumo::TraCIResults& r, int var) {
    const auto it = r.find(var);
    return it == r.end() ? 0.0 : static_cast<const libsumo::TraCIDouble&>(*it->second).value;
}

}  // namespace

void SumoSubscriptions::watchAround(const std::string& vehicle, double radius) {
    libsumo::Vehicle::subscribeContext(vehicle, libsumo::CMD_GET_VEHICLE_VARIABLE, radius, kMotionVariables);
}

void SumoSubscriptions::near(const std::string& vehicle, std::vector<VehicleState>& out) {
    out.clear();
    const libsumo::SubscriptionResults& results = libsumo::Vehicle::getContextSubscriptionResults(vehicle);
    for (const auto& [id, r] : results) {  // std::map: sorted by id
        if (id == vehicle) continue;
        VehicleState v;
        v.id = id;
        if (const auto it = r.find(libsumo::VAR_POSITION); it != r.end()) {
            const auto& p = static_cast<const libsumo::TraCIPosition&>(*it->second);
            v.position = {p.x, p.y};
        }
        v.angleDeg = resultDouble(r, libsumo::VAR_ANGLE);
        v.speed = resultDouble(r, libsumo::VAR_SPEED);
        auto known = lengths_.find(id);
        if (known == lengths_.end()) known = lengths_.emplace(id, SumoVehicles().length(id)).first;
        v.length = known->second;
        out.push_back(std::move(v));
    }
}

}  // namespace alprsim
