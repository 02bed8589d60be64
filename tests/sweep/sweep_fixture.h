#pragma once
// Small real sweeps for the end-to-end tests: a tiny base scenario (quick.json with fewer cars
// and a shorter hour) in a scratch folder, and helpers to run `alprsim sweep` on it.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace alprsim::test {

struct SweepFixture {
    std::filesystem::path dir;

    explicit SweepFixture(const std::string& name) : dir(freshDir("sweep-" + name)) {
        const nlohmann::json tiny = {
            {"extends", sourceDir() + "/scenarios/quick.json"},
            {"name", "tiny"},
            {"time", {{"duration_hours", 0.2}}},
            {"demand", {{"vehicles", 40}, {"depart_window_hours", 0.1}}},
        };
        std::ofstream(dir / "tiny.json") << tiny.dump(2);
    }

    std::filesystem::path writeSweep(const nlohmann::json& sweep, const std::string& name = "sweep.json") const {
        const auto file = dir / name;
        std::ofstream(file) << sweep.dump(2);
        return file;
    }

    // Two camera counts times the given seeds.
    nlohmann::json cameraSweep(const std::vector<int>& seeds) const {
        return {{"name", "cams"},
                {"base", "tiny.json"},
                {"grid", {{{"path", "/cameras/count"}, {"values", {2, 6}}}}},
                {"seeds", seeds}};
    }

    ProcessResult sweep(const std::filesystem::path& sweepFile, const std::filesystem::path& out,
                        std::vector<std::string> extra = {}) const {
        std::vector<std::string> argv{alprsimBinary(), "sweep", sweepFile.string(), "--out", out.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return runProcess(argv);
    }
};

}  // namespace alprsim::test
