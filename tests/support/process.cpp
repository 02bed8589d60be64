#include "tests/support/process.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace alprsim::test {

ProcessResult runProcess(const std::vector<std::string>& argv) { return runCapturingOutput(argv); }

std::string alprsimBinary() { return ALPRSIM_BINARY; }
std::string sourceDir() { return ALPRSIM_SOURCE_DIR; }

std::string freshDir(const std::string& name) {
    const auto dir = std::filesystem::current_path() / ("tmp-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string quickScenarioVariant(const std::string& dir, const std::string& name, int vehicles, double durationHours,
                                 double departWindowHours) {
    nlohmann::json s = nlohmann::json::parse(readFile(sourceDir() + "/scenarios/quick.json"));
    s["demand"]["vehicles"] = vehicles;
    s["time"]["duration_hours"] = durationHours;
    if (departWindowHours > 0) s["demand"]["depart_window_hours"] = departWindowHours;
    const std::string path = dir + "/" + name + ".json";
    std::ofstream(path) << s.dump();
    return path;
}

}  // namespace alprsim::test
