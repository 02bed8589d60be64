#pragma once
// Work spread over the cores, with results that do not depend on how many there are: each job
// is given its index (and the worker running it, to pick that thread's own scratch state), so
// callers write each result to its own slot and gather them in index order.
#include <cstddef>
#include <functional>

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

}  // namespace alprsim
