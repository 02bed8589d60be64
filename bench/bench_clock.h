#pragma once
// The benches' clocks. Every figure is given as wall time and as CPU time: on a machine shared
// with other work, wall time measures the neighbours as much as the code under test.
#include <time.h>

#include <chrono>
#include <fstream>
#include <string>

namespace alprsim::bench {

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// CPU seconds used so far: by this process (every thread), or with CLOCK_THREAD_CPUTIME_ID by
// the calling thread.
inline double cpuSeconds(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Elapsed {
    double wall = 0.0;
    double cpu = 0.0;
    Elapsed& operator+=(const Elapsed& more) {
        wall += more.wall;
        cpu += more.cpu;
        return *this;
    }
};

// Wall and process CPU time since it was made.
class Stopwatch {
public:
    Stopwatch() : wall_(Clock::now()), cpu_(cpuSeconds()) {}
    Elapsed elapsed() const { return {secondsSince(wall_), cpuSeconds() - cpu_}; }

private:
    Clock::time_point wall_;
    double cpu_;
};

// /proc/loadavg's line, to print beside figures measured on a shared machine.
inline std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string text;
    return std::getline(in, text) ? text : "unknown";
}

}  // namespace alprsim::bench
