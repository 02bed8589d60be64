// Capture -> read -> store without SUMO: captures of planned trips become reads with their truth,
// in transactions of the sink's batch size; captures of unknown vehicles are dropped.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "pipeline/simulation_stage.h"
#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {

Capture captureOf(const std::string& trip, double time) {
    Capture c;
    c.camera = 0;
    c.trip = trip;
    c.time = time;
    c.where = {42.35, -71.12};
    return c;
}

// A capture in good light of a plate 120 px wide: read right by full recognition.
Capture goodCaptureOf(const std::string& trip, double time) {
    Capture c = captureOf(trip, time);
    c.photo = recognition::goodConditions(120);
    return c;
}

// One camera, one planned trip (car-1, plate 4ABC12) and an empty read store in a fresh folder.
struct OneTripWorld {
    ReadStore store;
    std::vector<Camera> cameras{{"cam-1", "Boston", CameraKind::Fixed, "e1", 10.0, {42.35, -71.12}, "Boston"}};
    TripLog log;

    explicit OneTripWorld(const std::string& name)
        : store(ReadStore::create(fs::path(test::freshDir(name)) / "reads.sqlite")), log({tripOne()}) {
        store.addCameras(cameraRecords(cameras));
    }
    static TripPlan tripOne() {
        TripPlan plan;
        plan.trip = "trip-1";
        plan.vehicle = "car-1";
        plan.plate = "4ABC12";
        return plan;
    }
};

}  // namespace

TEST_CASE("Captures of the log's trips become reads with their truth, batch by batch", "[pipeline]") {
    OneTripWorld world("pipeline-reads");
    auto& [store, cameras, log] = world;
    const recognition::Recognizer perfect = recognition::Recognizer::create(recognition::RecognitionMode::Perfect);

    ReadSink sink(store, nullptr, nullptr, 2);
    ReadRecorder recorder(sink, cameras, log, perfect, 7, 1);
    recorder.record(
        {captureOf("trip-1", 100.5), captureOf("someone-else", 101), captureOf("trip-1", 200), captureOf("trip-1", 300)});
    CHECK(sink.total() == 0);  // fewer than a recognition batch wait to be read
    recorder.flush();
    CHECK(sink.total() == 3);  // a batch of 2 handed over to be written, the third waiting
    sink.flush();              // before the store is read: the writing thread uses its connection until then
    CHECK(store.readCount() == 3);
    CHECK(recorder.counts().correct == 3);
    CHECK(recorder.counts().misread == 0);
    CHECK(recorder.counts().noRead == 0);

    std::vector<double> times;
    store.forEachReadWithTruth([&](const Read& r, const ReadTruth& truth) {
        CHECK(r.plate == "4ABC12");
        CHECK(r.camera == "cam-1");
        CHECK(truth.vehicle == "car-1");
        CHECK(truth.truePlate == "4ABC12");
        times.push_back(r.time);
    });
    CHECK(times == std::vector<double>{100.5, 200, 300});
}

TEST_CASE("Full recognition reads batches while the simulation goes on, and delivers in capture order", "[pipeline]") {
    OneTripWorld world("pipeline-reads-in-flight");
    auto& [store, cameras, log] = world;
    const recognition::Recognizer full = recognition::Recognizer::create(recognition::RecognitionMode::Full);

    ReadSink sink(store, nullptr, nullptr, 10000);
    ReadRecorder recorder(sink, cameras, log, full, 7, 2);
    constexpr int kBatch = static_cast<int>(ReadRecorder::kRecognitionBatch);
    const auto batch = [&](int index) {  // one batch of captures, a second apart
        std::vector<Capture> captures;
        for (int t = index * kBatch; t < (index + 1) * kBatch; ++t) captures.push_back(goodCaptureOf("trip-1", t));
        return captures;
    };
    const int inFlight = static_cast<int>(ReadRecorder::kBatchesInFlight);
    for (int b = 0; b < inFlight; ++b) recorder.record(batch(b));  // handed over, none delivered yet
    CHECK(sink.total() == 0);
    recorder.record(batch(inFlight));  // one more: the oldest batch's reads are delivered
    CHECK(sink.total() + recorder.counts().noRead == static_cast<size_t>(kBatch));
    recorder.record(batch(inFlight + 1));
    CHECK(sink.total() + recorder.counts().noRead == static_cast<size_t>(2 * kBatch));
    recorder.flush();
    const RecognitionCounts& counts = recorder.counts();
    const size_t captures = static_cast<size_t>((inFlight + 2) * kBatch);
    CHECK(counts.correct + counts.misread + counts.noRead == captures);
    CHECK(counts.correct >= captures * 95 / 100);  // good captures of a plain plate
    sink.flush();

    std::vector<double> times;
    store.forEachReadWithTruth([&](const Read& r, const ReadTruth&) { times.push_back(r.time); });
    CHECK(times.size() == counts.correct + counts.misread);
    CHECK(std::is_sorted(times.begin(), times.end()));
}

TEST_CASE("A recorder dropped with batches in flight waits for their reading", "[pipeline]") {
    OneTripWorld world("pipeline-reads-dropped");
    auto& [store, cameras, log] = world;
    const recognition::Recognizer full = recognition::Recognizer::create(recognition::RecognitionMode::Full);
    ReadSink sink(store, nullptr, nullptr, 10000);
    {
        ReadRecorder recorder(sink, cameras, log, full, 7, 2);
        std::vector<Capture> captures;
        for (int t = 0; t < 3 * static_cast<int>(ReadRecorder::kRecognitionBatch); ++t) {
            captures.push_back(goodCaptureOf("trip-1", t));
            if (captures.size() == ReadRecorder::kRecognitionBatch) recorder.record(std::exchange(captures, {}));
        }
    }                          // destroyed without flush(): the batches' reading ends before their captures go (ASan checks)
    CHECK(sink.total() == 0);  // their reads are lost, not half delivered
}
