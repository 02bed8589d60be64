#pragma once
// Progress for long work, on stderr (stdout and the results stay identical between runs):
// on a terminal, one line redrawn in place; otherwise (CI logs, pipes, a sweep's run logs) a
// full line at a steady pace, every ALPRSIM_PROGRESS_SECONDS seconds (default 10; 0: at every
// tenth of a percent), so a long job is never silent until its end. Both say the share done
// and an estimate of the time left (the elapsed time scaled by what remains).
#include <chrono>
#include <cstdint>
#include <string>

namespace alprsim {

class Progress {
public:
    Progress(std::string label, uint64_t total);
    ~Progress();
    // `detail` says where the work is in its own terms (the simulated time, the run just done).
    void update(uint64_t done, const std::string& detail = "");
    void finish();

    // "about 3 min 20 s left" from the time spent on `done` of `total`; "" before any is done.
    static std::string timeLeftText(double elapsedSeconds, uint64_t done, uint64_t total);

private:
    std::string label_;
    uint64_t total_;
    bool terminal_;
    double intervalSeconds_;
    bool finished_ = false;
    int lastPermille_ = -1;
    std::chrono::steady_clock::time_point start_, lastLine_;
};

// Set by SIGINT/SIGTERM once installInterruptHandlers() has run; long loops poll it and stop
// cleanly (staged outputs are then removed by their destructors).
void installInterruptHandlers();
bool interruptRequested();

struct Interrupted : std::exception {
    const char* what() const noexcept override { return "interrupted by a signal"; }
};

}  // namespace alprsim
