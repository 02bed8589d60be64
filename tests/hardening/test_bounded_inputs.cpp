// Unbounded inputs (issue #30): every input is read with the limit of its kind, counted on the
// bytes read, so that a device with no end (/dev/zero, /dev/urandom) stops at the limit with
// exit 2 and bounded memory, and a wait on a pipe that never delivers ends on SIGTERM.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/hardening/child.h"
#include "tests/support/process.h"
#include "tests/support/text.h"

namespace fs = std::filesystem;
using namespace alprsim::test;

namespace {

// If the limit were missing, the child would read until this address-space limit (a bad_alloc,
// exit 1) instead of until the machine's memory is gone. Under AddressSanitizer, which reserves
// terabytes of address space for its shadow memory at start, no such limit can be set (-1):
// there the resident-memory check below is the bound.
#if defined(__SANITIZE_ADDRESS__)
constexpr long long kChildAddressSpace = -1;
#else
constexpr long long kChildAddressSpace = 8LL << 30;
#endif
}  // namespace

TEST_CASE("run and sweep of an endless device stop at the size limit, in bounded memory", "[hardening][limits]") {
    const fs::path dir = freshDir("hardening-endless");
    struct Case {
        const char* command;
        const char* device;
        const char* limit;
    };
    for (const Case& c : {Case{"run", "/dev/zero", "a scenario file of at most 16 MiB"},
                          Case{"run", "/dev/urandom", "a scenario file of at most 16 MiB"},
                          Case{"sweep", "/dev/zero", "a sweep file of at most 16 MiB"}}) {
        const std::string name = std::string(c.command) + "-" + fs::path(c.device).filename().string();
        INFO(name);
        const std::string log = (dir / (name + ".log")).string();
        alprsim::ChildOptions limited;
        limited.addressSpaceLimitBytes = kChildAddressSpace;
        const pid_t pid = startChild({alprsimBinary(), c.command, c.device, "--out", (dir / name).string()}, log, limited);
        long maxRssKb = 0;
        const int code = waitChild(pid, &maxRssKb);
        const std::string output = readFile(log);
        INFO(output);
        CHECK(code == 2);
        CHECK(contains(output, std::string(c.device) + ": " + c.limit));
        CHECK(maxRssKb < 400 * 1024);  // the process itself and one 16 MiB file, not gigabytes
        CHECK_FALSE(fs::exists(dir / name));
    }
}

TEST_CASE("a scenario read from a pipe that never delivers is stopped by SIGTERM", "[hardening][limits]") {
    const fs::path dir = freshDir("hardening-fifo");
    const fs::path fifo = dir / "s.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string log = (dir / "run.log").string();
    const pid_t pid = startChild({alprsimBinary(), "run", fifo.string(), "--out", (dir / "out").string()}, log);
    // Opening the write end returns once the run has opened the read end: the run now waits for data.
    const int writer = ::open(fifo.c_str(), O_WRONLY);
    REQUIRE(writer >= 0);
    REQUIRE(::write(writer, "{", 1) == 1);
    ::kill(pid, SIGTERM);
    // Closing the pipe after the signal: a run that ignored SIGTERM would now read the end of
    // the file and refuse "{" as JSON (exit 2) instead of stopping (exit 130).
    ::close(writer);
    const int code = waitChild(pid);
    INFO(readFile(log));
    CHECK(code == 130);
    CHECK(contains(readFile(log), "interrupted"));
    CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a scenario read from a pipe whose writer comes later is waited for, not read as empty", "[hardening][limits]") {
    const fs::path dir = freshDir("hardening-fifo-late");
    const fs::path fifo = dir / "s.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string log = (dir / "run.log").string();
    const pid_t pid = startChild({alprsimBinary(), "run", fifo.string(), "--out", (dir / "out").string()}, log);
    // The event: the run has the pipe open (one of its descriptors is the FIFO), with no writer yet.
    auto pipeOpen = [&] {
        std::error_code ec;
        for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec))
            if (fs::read_symlink(fd.path(), ec) == fifo) return true;
        return false;
    };
    REQUIRE(waitWhileRunning(pipeOpen, pid));
    {
        std::ofstream writer(fifo);
        writer << R"({"name": "late"})";
    }
    const int code = waitChild(pid);
    const std::string output = readFile(log);
    INFO(output);
    CHECK(code == 2);
    CHECK(contains(output, "at /seed"));  // what the writer wrote was read: the next field is missing
}

TEST_CASE("recognize skips and counts a truncated image and one claiming 20000 x 20000 pixels", "[hardening][limits]") {
    const fs::path dir = freshDir("hardening-images");
    const fs::path images = dir / "images";
    const auto rendered = runProcess(
        {alprsimBinary(), "render", "--out", images.string(), "--kind", "crop", "--count", "2", "--seed", "5", "--width", "160"});
    REQUIRE(rendered.exitCode == 0);
    fs::remove(images / "manifest.csv");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(images)) files.push_back(e.path());
    REQUIRE(files.size() == 2);
    std::sort(files.begin(), files.end());
    // One cut to half its length; one whose header claims 20000 x 20000 pixels.
    const std::string whole = readFile(files[0].string());
    std::ofstream(images / "cut.png", std::ios::binary) << whole.substr(0, whole.size() / 2);
    std::string huge = whole;
    REQUIRE(huge.compare(12, 4, "IHDR") == 0);
    huge.replace(16, 8, std::string("\x00\x00\x4e\x20\x00\x00\x4e\x20", 8));
    std::ofstream(images / "huge.png", std::ios::binary) << huge;

    const auto r = runProcess({alprsimBinary(), "recognize", "--images", images.string(), "--out", (dir / "out.csv").string()});
    INFO(r.output);
    CHECK(r.exitCode == 0);
    CHECK(contains(r.output, "cut.png: a damaged image"));
    CHECK(contains(r.output, "huge.png: an image of 20000 x 20000 pixels"));
    CHECK(contains(r.output, "read 2 images"));
    CHECK(contains(r.output, "2 unreadable files"));
}
