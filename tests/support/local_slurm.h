#pragma once
// A one-node Slurm cluster on this machine (tools/slurm-local.sh: munged, slurmctld, slurmd as
// root) for one test: started in `dir`, SLURM_CONF set for the processes the test starts, and
// stopped when the test ends, pass or fail. If Slurm cannot be started the test fails and says
// why: it is never skipped. Test executables that CTest may run at once (-j2) give different
// ports (slurmctld on `port`, slurmd on port + 1), so their clusters do not meet.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/process.h"

namespace alprsim::test {

struct LocalSlurm {
    std::filesystem::path dir;
    std::string script = sourceDir() + "/tools/slurm-local.sh";

    // `dir` outside the test's fresh folder: a crashed earlier test's cluster there is stopped
    // by its pid files when this one starts.
    LocalSlurm(std::filesystem::path d, int port) : dir(std::move(d)) {
        ::setenv("ALPRSIM_SLURM_PORT", std::to_string(port).c_str(), 1);
        const auto started = runProcess({"/bin/bash", script, "start", dir.string()});
        INFO(started.output);
        REQUIRE(started.exitCode == 0);
        ::setenv("SLURM_CONF", (dir / "etc" / "slurm.conf").c_str(), 1);
    }
    ~LocalSlurm() { runProcess({"/bin/bash", script, "stop", dir.string()}); }
};

}  // namespace alprsim::test
