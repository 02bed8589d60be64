// How much sensing costs: the same scenario run with no cameras (baseline) and with 50 fixed
// cameras on the busiest edges plus 5 patrol cars (sensing), each `--repeats` times, alternated
// so that machine load hits both alike. Prints the median wall time of each and their ratio
// (target: at most 1.25), and the patrol read rates of the sensing run.
//
//   sensing_overhead [--scenario FILE] [--repeats N] [--fixed N] [--patrol N] [--keep DIR]
//
// The scenario's own "cameras" section is replaced; its network, time and demand are kept
// (default: scenarios/brookline-baseline.json, all of Brookline, 3,000 cars, 4 hours).
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double runSeconds(const std::string& scenario, const fs::path& out) {
    fs::remove_all(out);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        execl(ALPRSIM_BINARY, ALPRSIM_BINARY, "run", scenario.c_str(), "--out", out.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "alprsim run %s failed (status %d)\n", scenario.c_str(), status);
        std::exit(1);
    }
    return seconds;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

json readJson(const fs::path& p) {
    std::ifstream in(p);
    return json::parse(in);
}

}  // namespace

int main(int argc, char** argv) {
    std::string scenario = std::string(ALPRSIM_SOURCE_DIR) + "/scenarios/brookline-baseline.json";
    int repeats = 3, fixed = 50, patrol = 5;
    fs::path work = fs::temp_directory_path() / ("alprsim-sensing-bench-" + std::to_string(getpid()));
    bool keep = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--scenario") scenario = value;
        else if (key == "--repeats") repeats = std::max(1, std::atoi(value.c_str()));
        else if (key == "--fixed") fixed = std::atoi(value.c_str());
        else if (key == "--patrol") patrol = std::atoi(value.c_str());
        else if (key == "--keep") work = value, keep = true;
        else {
            std::fprintf(stderr, "usage: sensing_overhead [--scenario FILE] [--repeats N] [--fixed N] [--patrol N] [--keep DIR]\n");
            return 2;
        }
    }
    fs::create_directories(work);
    json s = readJson(scenario);
    const std::string agency = s["cameras"].value("agency", "Brookline");
    // The scenario's data paths are resolved from its own folder first: keep the copies there
    // unless the data is found on the data path anyway (it is, for the bundled scenarios).
    s["cameras"] = {{"agency", agency}, {"placement", "none"}};
    const fs::path baseline = work / "baseline.json";
    std::ofstream(baseline) << s.dump(2);
    s["cameras"] = {{"agency", agency}, {"placement", "volume"}, {"count", fixed},
                    {"patrol", {{"cars", patrol}, {"shift_hours", 8}, {"town", agency}}}};
    const fs::path sensing = work / "sensing.json";
    std::ofstream(sensing) << s.dump(2);

    std::vector<double> base, sense;
    runSeconds(baseline.string(), work / "warm-up");  // the network cache and page cache
    for (int r = 0; r < repeats; ++r) {
        base.push_back(runSeconds(baseline.string(), work / "baseline"));
        sense.push_back(runSeconds(sensing.string(), work / "sensing"));
        std::printf("repeat %d: baseline %.2f s, sensing %.2f s\n", r + 1, base.back(), sense.back());
    }
    const json results = readJson(work / "sensing" / "results.json");
    const json& sensingSummary = results["sensing"];
    std::printf("\nscenario: %s (%s vehicles, cameras replaced)\n", scenario.c_str(),
                results["counts"]["vehicles"].dump().c_str());
    std::printf("baseline (no sensing):              median %.2f s over %d runs\n", median(base), repeats);
    std::printf("sensing (%d fixed + %d patrol cars): median %.2f s over %d runs\n", fixed, patrol, median(sense), repeats);
    std::printf("overhead ratio sensing/baseline: %.3f (target <= 1.25)\n", median(sense) / median(base));
    std::printf("reads: %s; fixed captures %s, failures %s\n", results["counts"]["reads"].dump().c_str(),
                sensingSummary["fixed"]["captured"].dump().c_str(), sensingSummary["fixed"]["failed"].dump().c_str());
    if (sensingSummary.contains("patrol")) {
        const json& p = sensingSummary["patrol"];
        std::printf("patrol: %s reads in %s patrol-hours = %s reads per patrol-hour; failures %s\n",
                    p["captured"].dump().c_str(), p["patrol_hours"].dump().c_str(),
                    p["reads_per_patrol_hour"].dump().c_str(), p["failed"].dump().c_str());
        for (const json& car : p["cars"])
            std::printf("  %s: %s reads in %s h (%s per hour)\n", car["id"].get<std::string>().c_str(),
                        car["reads"].dump().c_str(), car["hours_on_road"].dump().c_str(),
                        car["reads_per_hour"].dump().c_str());
    }
    if (!keep) fs::remove_all(work);
    return 0;
}
