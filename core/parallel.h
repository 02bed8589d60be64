#pragma once
// Work spread over the cores, with results that do not depend on how many there are: each job
// is given its index (and the worker running it, to pick that thread's own scratch state), so
// callers write each result to its own slot and gather them in index order.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace alprsim {

// The threads forEachInParallel uses for `count` jobs asked to run on `threads` (0: one per
// core): never more than the jobs, at least one.
unsigned workerCount(size_t count, unsigned threads);

// Runs job(k, worker) for k from 0 to count - 1 on `threads` threads (0: one per core), worker
// being the thread's number (0 to threads - 1), k in no particular order; rethrows the first
// exception a job threw (the other threads stop after their current job).
void forEachInParallel(size_t count, unsigned threads, const std::function<void(size_t, unsigned)>& job);

// Runs job(begin, end) over 0 to count - 1 cut into ranges of `block` (the last shorter), the
// ranges on `threads` threads as forEachInParallel runs its jobs.
void forEachBlock(size_t count, size_t block, unsigned threads, const std::function<void(size_t, size_t)>& job);

// One job at a time on a thread of its own, so that the caller goes on with other work while
// it runs (the cameras' frame search of a step runs while SUMO computes the next one):
// start(job) hands it a job, wait() returns once the job is done and rethrows what it threw.
// Made without a thread of its own (`ownThread` false: one core, or one thread asked for),
// start runs the job at once on the caller's thread, and wait rethrows as before: the same
// results, in the same order, either way.
class BackgroundWorker {
public:
    explicit BackgroundWorker(bool ownThread);
    ~BackgroundWorker();  // waits for the job under way, then ends the thread
    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete;

    // Starts `job`; the one before must have been waited for.
    void start(std::function<void()> job);
    // Returns when the job started last is done (at once if none is); rethrows its exception.
    void wait();
    bool ownThread() const { return thread_.joinable(); }

private:
    void loop();

    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::function<void()> job_;
    bool busy_ = false, stopping_ = false;
    std::exception_ptr failure_;
    std::thread thread_;  // last: started once the members above exist
};

}  // namespace alprsim
