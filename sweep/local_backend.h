#pragma once
// Runs on this machine: up to `jobs` child processes at a time.
#include <string>

#include "sweep/run_backend.h"

namespace alprsim {

class LocalBackend : public RunBackend {
public:
    LocalBackend(std::filesystem::path alprsim, unsigned jobs, std::string progressLabel = "sweep");
    std::vector<RunOutcome> execute(const std::vector<RunTask>& tasks) override;

private:
    std::filesystem::path alprsim_;
    unsigned jobs_;
    std::string progressLabel_;
};

}  // namespace alprsim
