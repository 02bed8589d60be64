#pragma once
// Progress for long work: a line redrawn on a terminal, nothing at all when stderr is not one
// (CI logs, pipes, tests), so output stays identical between runs.
#include <cstdint>
#include <string>

namespace alprsim {

class Progress {
public:
    Progress(std::string label, uint64_t total);
    ~Progress();
    void update(uint64_t done, const std::string& detail = "");
    void finish();

private:
    std::string label_;
    uint64_t total_;
    bool enabled_;
    bool finished_ = false;
    int lastPermille_ = -1;
};

// Set by SIGINT/SIGTERM once installInterruptHandlers() has run; long loops poll it and stop
// cleanly (staged outputs are then removed by their destructors).
void installInterruptHandlers();
bool interruptRequested();

struct Interrupted : std::exception {
    const char* what() const noexcept override { return "interrupted by a signal"; }
};

}  // namespace alprsim
