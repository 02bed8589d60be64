#pragma once
// Reading many plates at once on TBB (the project's one thread pool), at most `threads` at a
// time (0: as many as TBB has cores for). Each index writes its own slot and draws from its own
// random stream, so the results do not depend on the thread count.
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>

namespace alprsim::recognition {

template <class Job>
void forEachRead(size_t count, unsigned threads, const Job& job) {
    if (threads == 1) {
        for (size_t i = 0; i < count; ++i) job(i);
        return;
    }
    tbb::task_arena arena(threads > 0 ? static_cast<int>(threads) : tbb::task_arena::automatic);
    arena.execute([&] { tbb::parallel_for(size_t{0}, count, [&](size_t i) { job(i); }); });
}

}  // namespace alprsim::recognition
