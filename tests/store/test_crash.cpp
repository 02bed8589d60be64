// A run killed while it inserts reads must leave stores that open and pass SQLite's integrity
// check, with every transaction either wholly in or wholly out. A forked child inserts without
// pause until the parent kills it with SIGKILL (no destructor, no checkpoint runs).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "store/back_office.h"
#include "store_fixtures.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {
const std::vector<std::string> kAgencies{"Lowell", "Chelsea", "Boston"};

// Runs in the child: records batches for ever, telling the parent after the first commit.
[[noreturn]] void insertUntilKilled(const std::filesystem::path& dir, int readyFd) {
    try {
        StoreNetwork network = StoreNetwork::open(dir);
        const std::vector<CameraRecord> cams = cameras(kAgencies, 4);
        Rng rng = Rng::stream(1, "crash-child");
        for (int64_t batch = 0;; ++batch) {
            std::vector<Read> reads;
            std::vector<ReadTruth> truth;
            for (int i = 0; i < 5000; ++i) {
                const std::string plate = "P" + std::to_string(rng.below(100000));
                reads.push_back(readAt(cams[rng.below(cams.size())], plate, static_cast<double>(batch) + i * 1e-4));
                truth.push_back({"v" + plate, plate});
            }
            network.record(reads, truth);
            if (batch == 0 && write(readyFd, "r", 1) != 1) _exit(4);
        }
    } catch (...) {
        _exit(3);
    }
}
}  // namespace

TEST_CASE("stores killed mid-insert open and pass the integrity check", "[store][crash]") {
    const int delayMs = GENERATE(20, 90, 250);
    INFO("killed " << delayMs << " ms after the first commit");
    ScratchDir dir;
    StoreSettings settings;
    settings.sharing.mode = SharingMode::Pooled;
    StoreNetwork::create(dir.path(), settings, cameras(kAgencies, 4), HotList({{"P42", "vP42", "stolen"}}, 0.0));

    int pipeFds[2];
    REQUIRE(pipe(pipeFds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(pipeFds[0]);
        insertUntilKilled(dir.path(), pipeFds[1]);
    }
    close(pipeFds[1]);
    char ready = 0;
    REQUIRE(read(pipeFds[0], &ready, 1) == 1);
    close(pipeFds[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));  // it was still inserting, not finished or failed
    CHECK(WTERMSIG(status) == SIGKILL);

    StoreNetwork network = StoreNetwork::open(dir.path());
    int64_t agencyReads = 0;
    for (const std::string& agency : network.agencies()) {
        ReadStore& store = network.agencyStore(agency);
        INFO(agency);
        CHECK(store.integrityCheck() == "ok");
        // The counter and the rows are written in one transaction: equal unless a commit tore.
        CHECK(store.readCount() == store.readsRecorded());
        int64_t withTruth = 0;
        store.forEachReadWithTruth([&](const Read&, const ReadTruth&) { ++withTruth; });
        CHECK(withTruth == store.readCount());
        agencyReads += store.readCount();
    }
    CHECK(agencyReads >= 5000);
    CHECK(network.stateStore().integrityCheck() == "ok");
    CHECK(network.stateStore().readCount() == network.stateStore().readsRecorded());
    // Files commit one by one, so the pool may lack the batch the kill interrupted, never more.
    CHECK(network.stateStore().readCount() <= agencyReads);
    CHECK(network.stateStore().readCount() >= agencyReads - 5000);

    // And the run can carry on where it stopped.
    network.record({readAt(cameras(kAgencies, 4)[0], "AFTER1", 1e6)}, {{"v", "AFTER1"}});
    CHECK(BackOffice(network, "Lowell").history(1e6, "AFTER1", 0.0, 1e6).size() == 1);
}
