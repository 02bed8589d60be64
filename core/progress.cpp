#include "core/progress.h"

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace alprsim {

namespace {
volatile std::sig_atomic_t gInterrupted = 0;
extern "C" void onSignal(int) { gInterrupted = 1; }

constexpr double kDefaultIntervalSeconds = 10;

double intervalFromEnvironment() {
    const char* text = std::getenv("ALPRSIM_PROGRESS_SECONDS");
    if (!text || !*text) return kDefaultIntervalSeconds;
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    return end != text && *end == '\0' && seconds >= 0 && std::isfinite(seconds) ? seconds : kDefaultIntervalSeconds;
}
}  // namespace

void installInterruptHandlers() {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

bool interruptRequested() { return gInterrupted != 0; }

std::string Progress::timeLeftText(double elapsedSeconds, uint64_t done, uint64_t total) {
    if (done == 0 || done >= total || elapsedSeconds <= 0) return "";
    const double left = elapsedSeconds * static_cast<double>(total - done) / static_cast<double>(done);
    const long s = std::lround(left);
    if (s >= 3600) return fmt::format("about {} h {} min left", s / 3600, (s % 3600) / 60);
    if (s >= 60) return fmt::format("about {} min {} s left", s / 60, s % 60);
    return fmt::format("about {} s left", s);
}

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)),
      total_(total ? total : 1),
      terminal_(::isatty(STDERR_FILENO) == 1),
      intervalSeconds_(intervalFromEnvironment()),
      start_(std::chrono::steady_clock::now()),
      lastLine_(start_) {}

Progress::~Progress() { finish(); }

void Progress::update(uint64_t done, const std::string& detail) {
    if (finished_) return;
    const int permille = static_cast<int>(std::min(done, total_) * 1000 / total_);
    const auto now = std::chrono::steady_clock::now();
    if (terminal_ || intervalSeconds_ == 0) {
        if (permille == lastPermille_) return;
    } else if (std::chrono::duration<double>(now - lastLine_).count() < intervalSeconds_) {
        return;  // a line every interval, whether or not the share moved: the job is alive
    }
    lastPermille_ = permille;
    lastLine_ = now;
    const std::string left = timeLeftText(std::chrono::duration<double>(now - start_).count(), done, total_);
    const std::string text = label_ + ": " + std::to_string(permille / 10) + "." + std::to_string(permille % 10) + "% done" +
                             (detail.empty() ? "" : ", " + detail) + (left.empty() ? "" : "; " + left);
    if (terminal_)
        std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
    else
        std::fprintf(stderr, "%s\n", text.c_str());
    std::fflush(stderr);
}

void Progress::finish() {
    if (finished_) return;
    finished_ = true;
    if (!terminal_) return;  // the lines already written stay in the log
    std::fprintf(stderr, "\r\x1b[K");
    std::fflush(stderr);
}

}  // namespace alprsim
