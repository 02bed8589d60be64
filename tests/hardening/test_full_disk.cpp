// A full disk during a run (issue #10), simulated with a file-size limit (RLIMIT_FSIZE, with
// SIGXFSZ ignored, so write() fails with EFBIG as it fails with ENOSPC on a full disk): the run
// exits non-zero saying which file could not be written, and leaves no output that looks
// complete. The limits are chosen to fail different writers: SQLite's read store, and the
// plain files written through writeFileAtomically.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/hardening/child.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace alprsim::test;

namespace {
fs::path smallScenario(const fs::path& dir) { return quickScenarioVariant(dir.string(), "small", 100, 0.5); }

uintmax_t largestFile(const fs::path& dir) {
    uintmax_t largest = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) largest = std::max(largest, e.file_size());
    return largest;
}
}  // namespace

TEST_CASE("a full disk during a run is reported, and no complete-looking output is left", "[hardening][disk]") {
    const fs::path dir = freshDir("hardening-full-disk");
    const fs::path scenario = smallScenario(dir);
    // Unlimited first: converts (and caches) the network, so that the limited runs below fail
    // in our writers and not in netconvert's; and measures the outputs to place the limits.
    const auto full = runProcess({alprsimBinary(), "run", scenario.string(), "--out", (dir / "unlimited").string()});
    INFO(full.output);
    REQUIRE(full.exitCode == 0);
    const uintmax_t largest = largestFile(dir / "unlimited");
    REQUIRE(largest > 64 * 1024);

    for (const long long limit : {4LL * 1024, 32LL * 1024, static_cast<long long>(largest) - 1}) {
        const fs::path out = dir / ("limited-" + std::to_string(limit));
        const std::string log = (dir / ("limited-" + std::to_string(limit) + ".log")).string();
        alprsim::ChildOptions limited;
        limited.fileSizeLimitBytes = limit;
        const pid_t pid = startChild({alprsimBinary(), "run", scenario.string(), "--out", out.string()}, log, limited);
        const int code = waitChild(pid);
        const std::string output = readFile(log);
        INFO("limit " << limit << " bytes: " << output);
        CHECK(code != 0);
        CHECK(code != 130);
        CHECK(output.find("cannot write") != std::string::npos);
        CHECK(output.find("is the disk full?") != std::string::npos);
        CHECK_FALSE(fs::exists(out));
        for (const auto& e : fs::directory_iterator(dir))
            CHECK(e.path().filename().string().find(".partial-") == std::string::npos);
    }
}
