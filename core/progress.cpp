#include "core/progress.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace alprsim {

namespace {
volatile std::sig_atomic_t gInterrupted = 0;
extern "C" void onSignal(int) { gInterrupted = 1; }
}  // namespace

void installInterruptHandlers() {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

bool interruptRequested() { return gInterrupted != 0; }

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total ? total : 1), enabled_(::isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { finish(); }

void Progress::update(uint64_t done, const std::string& detail) {
    if (!enabled_) return;
    const int permille = static_cast<int>(done * 1000 / total_);
    if (permille == lastPermille_) return;
    lastPermille_ = permille;
    std::fprintf(stderr, "\r%s %5.1f%% %s\x1b[K", label_.c_str(), permille / 10.0, detail.c_str());
    std::fflush(stderr);
}

void Progress::finish() {
    if (!enabled_ || finished_) return;
    finished_ = true;
    std::fprintf(stderr, "\r\x1b[K");
    std::fflush(stderr);
}

}  // namespace alprsim
