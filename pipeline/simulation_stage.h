#pragma once
// The simulation stage of a run, capture -> read -> store: SUMO drives the trips, the cameras
// capture the plates that pass them, recognition reads each capture, and the reads go into the
// run's read store and the scenario's agency stores.
#include <cstdint>
#include <deque>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recognition/recognizer.h"
#include "scenarios/scenario.h"
#include "sensors/sensor_array.h"
#include "sim/demand.h"
#include "sim/simulation.h"
#include "sim/trip_log.h"
#include "store/read_log.h"
#include "store/read_store.h"
#include "store/store_network.h"

namespace alprsim {

// The cameras as the stores record them.
std::vector<CameraRecord> cameraRecords(const std::vector<Camera>& cameras);

// How the captures fared in recognition.
struct RecognitionCounts {
    size_t correct = 0, misread = 0, noRead = 0;
};

// Where reads go: reads.sqlite (every read, with its truth) and the scenario's agency stores,
// in transactions of `batch` reads, and, if given, the run's read log (what the run's own
// evaluation reads instead of reading reads.sqlite back). The stores are written on another
// thread, one batch after another, while the caller goes on (a batch at most waits to be
// written, so memory stays bounded): they end up the same as if written here.
class ReadSink {
public:
    static constexpr size_t kBatch = 20'000;  // reads buffered per store transaction

    ReadSink(ReadStore& store, StoreNetwork* agencies, ReadLog* log = nullptr, size_t batch = kBatch)
        : store_(store), agencies_(agencies), log_(log), batch_(batch) {}
    ReadSink(const ReadSink&) = delete;
    ReadSink& operator=(const ReadSink&) = delete;
    // Waits for the batch being written; reads not flushed are not written (flush() first).
    ~ReadSink() = default;

    void add(Read read, ReadTruth truth);
    // Hands the reads that wait to the writing thread and returns.
    void handOver();
    // Hands over what waits and returns once every read is in the stores; rethrows a write's
    // error (a full disk: OutputError).
    void flush();
    size_t total() const { return total_ + waiting_.reads.size(); }

private:
    struct Batch {
        std::vector<Read> reads;
        std::vector<ReadTruth> truth;
    };
    ReadStore& store_;
    StoreNetwork* agencies_;  // the scenario's per-agency stores, if it has any
    ReadLog* log_;
    size_t batch_;
    Batch waiting_;
    Batch writing_;
    size_t total_ = 0;
    // Declared last: destroyed (waited for) before the batch it writes.
    std::future<void> written_;
};

// Turns captures into reads: each capture's plate goes through the scenario's recognition
// mode (perfect: the true plate; calibrated: the fitted error model; full: rendered and read),
// seeded per capture so that results do not depend on the order of anything else. Captures
// wait in batches of kRecognitionBatch so that full mode reads a batch on all the run's threads
// (one capture a step would leave the other cores idle); the reads reach the sink in capture
// order, so the stores are the same as read one by one. flush() reads what waits.
class ReadRecorder {
public:
    static constexpr size_t kRecognitionBatch = 64;

    // Batches handed over and not yet delivered, at most: the simulation steps on while they are
    // read, and the reading always has the next batch (with one, each side waited for the
    // other: reading idle 15% of the time while the simulation waited 9.6 s of 31, full mode on
    // brookline-baseline).
    static constexpr size_t kBatchesInFlight = 4;

    ReadRecorder(ReadSink& sink, const std::vector<Camera>& cameras, const TripLog& log,
                 const recognition::Recognizer& recognizer, uint64_t seed, unsigned threads)
        : sink_(sink), cameras_(cameras), log_(log), recognizer_(recognizer), seed_(seed), threads_(threads) {}
    ReadRecorder(const ReadRecorder&) = delete;
    ReadRecorder& operator=(const ReadRecorder&) = delete;
    // Waits for the batches being read (their reads are lost: flush() first).
    ~ReadRecorder();

    // Queues each capture of one of the log's trips; once a batch is full, hands it to be read.
    // In full mode the batches are read on other threads, one after another, while the
    // simulation steps on (kBatchesInFlight at most); their reads reach the sink, in capture
    // order, as later batches are handed over or at flush().
    void record(const std::vector<Capture>& passes);
    // Recognizes everything that waits or is in flight and hands each read, if any, to the sink.
    void flush();
    const RecognitionCounts& counts() const { return counts_; }

private:
    struct Waiting {
        Capture capture;
        std::string vehicle;
    };
    struct Batch {
        std::vector<Waiting> waiting;  // captures, with their requests beside them
        std::vector<recognition::RecognitionRequest> requests;
    };
    struct InFlight {
        Batch batch;
        std::shared_future<std::vector<recognition::PlateRead>> reads;
    };
    // Waits for the oldest batch in flight and hands its reads to the sink.
    void collectOldest();
    void deliver(const Batch& batch, const std::vector<recognition::PlateRead>& reads);

    ReadSink& sink_;
    const std::vector<Camera>& cameras_;
    const TripLog& log_;
    const recognition::Recognizer& recognizer_;
    uint64_t seed_;
    unsigned threads_;
    Batch queued_;  // captures not handed over yet
    RecognitionCounts counts_;
    // Oldest first; each is read once the one before it is (a deque keeps each batch in place
    // while its reading runs).
    std::deque<InFlight> inFlight_;
};

// What the simulation stage hands on, however it was run.
struct SimulationOutcome {
    size_t steps = 0;
    double endSeconds = 0;
    RecognitionCounts recognized;
    nlohmann::json sensing;
};

// Adds a day's planned trips to the simulation and to the ground-truth log; `keep`, if given,
// receives the plans.
void scheduleDay(uint32_t day, TripPlanner& planner, Simulation& sim, TripLog& log, std::vector<TripPlan>* keep);

// Steps the simulation to the scenario's end, or until every trip has arrived, in this process:
// every capture is recognized with `recognizer` and its read goes into `sink` (all handed over
// at the end; flush the sink before reading the stores). Days nextDay to lastDay are planned and
// loaded an hour before each begins, so SUMO never holds more than about a day of demand.
SimulationOutcome simulateHere(const Scenario& s, Simulation& sim, TripPlanner& planner, uint32_t nextDay, uint32_t lastDay,
                               TripLog& log, SensorArray& sensor, const recognition::Recognizer& recognizer, ReadSink& sink,
                               unsigned threads);

}  // namespace alprsim
