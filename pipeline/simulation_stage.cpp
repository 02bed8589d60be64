#include "pipeline/simulation_stage.h"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/progress.h"

namespace alprsim {

namespace {

// "day 2 07:15:00": where the simulation is, for progress lines.
std::string simulatedClock(double seconds) {
    const long s = static_cast<long>(seconds);
    return fmt::format("day {} {:02}:{:02}:{:02}", s / 86400, (s % 86400) / 3600, (s % 3600) / 60, s % 60);
}

}  // namespace

std::vector<CameraRecord> cameraRecords(const std::vector<Camera>& cameras) {
    std::vector<CameraRecord> records;
    for (const Camera& c : cameras) records.push_back({c.id, c.agency, c.edge, c.position, c.where});
    return records;
}

void ReadSink::add(Read read, ReadTruth truth) {
    if (log_) log_->add(read, truth);
    waiting_.reads.push_back(std::move(read));
    waiting_.truth.push_back(std::move(truth));
    if (waiting_.reads.size() >= batch_) handOver();
}

void ReadSink::handOver() {
    if (waiting_.reads.empty()) return;
    if (written_.valid()) written_.get();  // one batch in flight at a time, in order
    writing_ = std::exchange(waiting_, {});
    total_ += writing_.reads.size();
    written_ = std::async(std::launch::async, [this] {
        store_.insert(writing_.reads, writing_.truth);
        if (agencies_) agencies_->record(writing_.reads, writing_.truth);
    });
}

void ReadSink::flush() {
    handOver();
    if (written_.valid()) written_.get();
}

void ReadRecorder::record(const std::vector<Capture>& passes) {
    for (const Capture& p : passes) {
        const TripRecord* trip = log_.find(p.trip);
        if (!trip) continue;  // not one of ours (cannot happen: we add every vehicle)
        const Camera& cam = cameras_[p.camera];
        const uint64_t captureSeed =
            fnv1a64(p.trip + "@" + cam.id + "@" + std::to_string(static_cast<int64_t>(p.time * 1000)), seed_);
        queued_.waiting.push_back({p, trip->plan.vehicle});
        queued_.requests.push_back({trip->plan.plate, p.photo, captureSeed, trip->plan.plateDesign});
    }
    if (queued_.requests.size() < kRecognitionBatch) return;
    if (recognizer_.mode() != recognition::RecognitionMode::Full) {
        // the other modes cost less than a thread's start: read here
        deliver(queued_, recognizer_.recognizeAll(queued_.requests, threads_));
        queued_ = {};
        return;
    }
    if (inFlight_.size() >= kBatchesInFlight) collectOldest();
    const std::shared_future<std::vector<recognition::PlateRead>> before =
        inFlight_.empty() ? std::shared_future<std::vector<recognition::PlateRead>>() : inFlight_.back().reads;
    inFlight_.push_back({std::exchange(queued_, {}), {}});
    const std::vector<recognition::RecognitionRequest>* requests = &inFlight_.back().batch.requests;
    inFlight_.back().reads = std::async(std::launch::async, [this, before, requests] {
                                 if (before.valid()) before.wait();  // one batch at a time, on all the threads
                                 return recognizer_.recognizeAll(*requests, threads_);
                             }).share();
}

void ReadRecorder::flush() {
    while (!inFlight_.empty()) collectOldest();
    deliver(queued_, recognizer_.recognizeAll(queued_.requests, threads_));
    queued_ = {};
}

ReadRecorder::~ReadRecorder() {
    for (const InFlight& f : inFlight_)
        if (f.reads.valid()) f.reads.wait();  // not valid: its thread could not be started
}

void ReadRecorder::collectOldest() {
    deliver(inFlight_.front().batch, inFlight_.front().reads.get());  // read by now: its batch is free to go
    inFlight_.pop_front();
}

void ReadRecorder::deliver(const Batch& batch, const std::vector<recognition::PlateRead>& reads) {
    for (size_t i = 0; i < reads.size(); ++i) {
        const recognition::PlateRead& r = reads[i];
        const Capture& p = batch.waiting[i].capture;
        const std::string& plate = batch.requests[i].truePlate;
        if (r.noRead) {
            ++counts_.noRead;
            continue;
        }
        ++(r.text == plate ? counts_.correct : counts_.misread);
        // a patrol car reads where it is
        sink_.add(Read{r.text, p.time, cameras_[p.camera].id, p.where, r.confidence}, ReadTruth{batch.waiting[i].vehicle, plate});
    }
}

void scheduleDay(uint32_t day, TripPlanner& planner, Simulation& sim, TripLog& log, std::vector<TripPlan>* keep) {
    std::vector<TripPlan> plans = planner.planDay(day, sim.routes());
    for (const TripPlan& p : plans)
        sim.addVehicle(p.trip, planner.network().edgeIds(p.route), p.plannedDepart, RouteChoice::Adaptive);
    log.add(plans);
    if (keep) *keep = std::move(plans);
}

namespace {

// simulateHere's loop; returns the steps taken.
size_t simulate(const Scenario& s, Simulation& sim, TripPlanner& planner, uint32_t nextDay, uint32_t lastDay, TripLog& log,
                SensorArray& sensor, ReadRecorder& recorder, const ReadSink& sink) {
    const double begin = sim.time();
    Progress progress("simulating", static_cast<uint64_t>(s.endSeconds - begin));
    size_t steps = 0;
    while (sim.time() < s.endSeconds - 1e-9) {
        if (interruptRequested()) throw Interrupted();
        if (nextDay <= lastDay && sim.time() >= nextDay * 86400.0 - 3600.0) {
            std::vector<TripPlan> plans;
            scheduleDay(nextDay++, planner, sim, log, &plans);
            sensor.addTrips(plans);  // patrol cars see cars parked where their trips leave them
        }
        sim.step();
        ++steps;
        log.record(sim, planner.network());
        recorder.record(sensor.observe(sim));
        if (nextDay > lastDay && sim.vehiclesRemaining() == 0) break;
        progress.update(static_cast<uint64_t>(sim.time() - begin), simulatedClock(sim.time()) + " simulated, " +
                                                                       std::to_string(log.departedCount()) + " departed, " +
                                                                       std::to_string(sink.total()) + " reads");
    }
    recorder.record(sensor.finish(sim));
    recorder.flush();
    return steps;
}

}  // namespace

SimulationOutcome simulateHere(const Scenario& s, Simulation& sim, TripPlanner& planner, uint32_t nextDay, uint32_t lastDay,
                               TripLog& log, SensorArray& sensor, const recognition::Recognizer& recognizer, ReadSink& sink,
                               unsigned threads) {
    ReadRecorder recorder(sink, sensor.cameras(), log, recognizer, s.seed, threads);
    SimulationOutcome out;
    out.steps = simulate(s, sim, planner, nextDay, lastDay, log, sensor, recorder, sink);
    sink.handOver();
    out.endSeconds = sim.time();
    out.recognized = recorder.counts();
    out.sensing = sensor.summary();
    return out;
}

}  // namespace alprsim
