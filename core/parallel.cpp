#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace alprsim {

unsigned workerCount(size_t count, unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, count)));
}

void forEachInParallel(size_t count, unsigned threads, const std::function<void(size_t, unsigned)>& job) {
    threads = workerCount(count, threads);
    if (threads <= 1) {
        for (size_t k = 0; k < count; ++k) job(k, 0);
        return;
    }
    std::atomic<size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto work = [&](unsigned worker) {
        try {
            for (size_t k = next++; k < count; k = next++) job(k, worker);
        } catch (...) {
            next = count;  // the others stop after their current job
            const std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure) failure = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    try {
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    } catch (const std::system_error&) {  // no more threads to be had: those started do the jobs
    }
    work(0);
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

void forEachBlock(size_t count, size_t block, unsigned threads, const std::function<void(size_t, size_t)>& job) {
    forEachInParallel((count + block - 1) / block, threads,
                      [&](size_t b, unsigned) { job(b * block, std::min(count, (b + 1) * block)); });
}

namespace {
// Runs `job`; what it threw, or nothing.
std::exception_ptr runCatching(const std::function<void()>& job) {
    try {
        job();
    } catch (...) {
        return std::current_exception();
    }
    return nullptr;
}
}  // namespace

BackgroundWorker::BackgroundWorker(bool ownThread) {
    if (ownThread) thread_ = std::thread([this] { loop(); });
}

BackgroundWorker::~BackgroundWorker() {
    if (!thread_.joinable()) return;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return !busy_; });
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void BackgroundWorker::start(std::function<void()> job) {
    if (!thread_.joinable()) {
        failure_ = runCatching(job);
        return;
    }
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        job_ = std::move(job);
        busy_ = true;
    }
    wake_.notify_one();
}

void BackgroundWorker::wait() {
    if (thread_.joinable()) {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return !busy_; });
    }
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void BackgroundWorker::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return busy_ || stopping_; });
        if (!busy_) return;  // stopping, with no job left
        std::function<void()> job = std::move(job_);
        lock.unlock();
        const std::exception_ptr failure = runCatching(job);
        lock.lock();
        failure_ = failure;
        busy_ = false;
        done_.notify_one();
    }
}

}  // namespace alprsim
