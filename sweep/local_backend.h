#pragma once
// Runs on this machine: up to `jobs` child processes at a time.
//
// Given the command line as a function (`inProcess`), a run is a forked child that calls it
// rather than one that executes the binary anew: the child inherits the libraries already loaded
// and relocated (libsumo pulls in about 250; loading them costs a third of a CPU-second, a third
// of a small run). Only a process that has not started a simulation may fork runs this way, as
// libsumo's state would be inherited; without `inProcess`, runs are fork + exec.
#include <string>

#include "sweep/run_backend.h"

namespace alprsim {

// The cores this machine has online (at least 1): the default number of jobs.
unsigned onlineCores();

class LocalBackend : public RunBackend {
public:
    LocalBackend(std::filesystem::path alprsim, unsigned jobs, std::string progressLabel = "sweep", CommandLine inProcess = {});
    std::vector<RunOutcome> execute(const std::vector<RunTask>& tasks) override;

private:
    std::filesystem::path alprsim_;
    unsigned jobs_;
    std::string progressLabel_;
    CommandLine inProcess_;
};

}  // namespace alprsim
