// Work spread over threads: every index once, whatever the thread count, and a job's failure
// reaches the caller.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/parallel.h"

using namespace alprsim;

TEST_CASE("forEachInParallel runs every index once on each thread count, with workers in range", "[core][parallel]") {
    for (unsigned threads : {0u, 1u, 2u, 3u, 8u}) {
        std::vector<std::atomic<int>> runs(1000);
        std::atomic<bool> workerInRange{true};
        const unsigned limit = threads == 0 ? 1024u : threads;
        forEachInParallel(runs.size(), threads, [&](size_t k, unsigned worker) {
            ++runs[k];
            if (worker >= limit) workerInRange = false;
        });
        INFO("threads " << threads);
        for (const auto& r : runs) CHECK(r.load() == 1);
        CHECK(workerInRange.load());
    }
    forEachInParallel(0, 2, [](size_t, unsigned) { FAIL("no job for no work"); });
}

TEST_CASE("workerCount: never more threads than jobs, at least one, one per core for 0", "[core][parallel]") {
    CHECK(workerCount(100, 3) == 3);
    CHECK(workerCount(2, 8) == 2);
    CHECK(workerCount(0, 4) == 1);
    CHECK(workerCount(1000, 0) >= 1);
    CHECK(workerCount(1, 0) == 1);
}

TEST_CASE("forEachBlock covers 0 to count - 1 in ranges of the block, the last shorter", "[core][parallel]") {
    std::vector<std::atomic<int>> covered(1001);
    std::atomic<size_t> ranges{0}, shortRanges{0};
    forEachBlock(covered.size(), 100, 2, [&](size_t begin, size_t end) {
        ++ranges;
        if (end - begin != 100) ++shortRanges;
        for (size_t k = begin; k < end; ++k) ++covered[k];
    });
    for (const auto& c : covered) CHECK(c.load() == 1);
    CHECK(ranges.load() == 11);
    CHECK(shortRanges.load() == 1);  // 1001 = 10 x 100 + 1
}

TEST_CASE("a job's exception reaches the caller, on one thread and on several", "[core][parallel]") {
    for (unsigned threads : {1u, 2u}) {
        INFO("threads " << threads);
        CHECK_THROWS_WITH(forEachInParallel(1000, threads,
                                            [&](size_t k, unsigned) {
                                                if (k == 10) throw std::runtime_error("job 10 failed");
                                            }),
                          "job 10 failed");
    }
}

TEST_CASE("BackgroundWorker runs each job before wait returns, on its own thread or the caller's", "[core][parallel]") {
    for (bool ownThread : {false, true}) {
        INFO("own thread " << ownThread);
        BackgroundWorker worker(ownThread);
        CHECK(worker.ownThread() == ownThread);
        worker.wait();  // nothing started: returns at once
        const std::thread::id caller = std::this_thread::get_id();
        std::vector<int> done;  // written by the jobs, read only after wait
        std::thread::id ranOn;
        for (int k = 0; k < 200; ++k) {
            worker.start([&done, &ranOn, k] {
                done.push_back(k);
                ranOn = std::this_thread::get_id();
            });
            worker.wait();
            REQUIRE(done.size() == static_cast<size_t>(k + 1));
            CHECK(done.back() == k);
            CHECK((ranOn == caller) == !ownThread);
        }
    }
}

TEST_CASE("BackgroundWorker: a job's exception comes out of wait, once, and the worker goes on", "[core][parallel]") {
    for (bool ownThread : {false, true}) {
        INFO("own thread " << ownThread);
        BackgroundWorker worker(ownThread);
        worker.start([] { throw std::runtime_error("step 7 failed"); });
        CHECK_THROWS_WITH(worker.wait(), "step 7 failed");
        CHECK_NOTHROW(worker.wait());
        int ran = 0;
        worker.start([&ran] { ++ran; });
        worker.wait();
        CHECK(ran == 1);
    }
}

TEST_CASE("BackgroundWorker's destructor waits for the job under way", "[core][parallel]") {
    std::atomic<bool> finished{false};
    {
        BackgroundWorker worker(true);
        worker.start([&finished] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            finished = true;
        });
    }
    CHECK(finished.load());
}
