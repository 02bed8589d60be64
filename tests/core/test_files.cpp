#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/files.h"
#include "core/output_error.h"
#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) { return test::freshDir("files-" + name); }
}  // namespace

TEST_CASE("A staged directory appears only on commit", "[core][files]") {
    const fs::path root = scratch("staged");
    const fs::path final = root / "run";
    {
        StagedDirectory out(final, false);
        std::ofstream(out.path() / "results.json") << "{}";
        CHECK_FALSE(fs::exists(final));
        CHECK(fs::exists(out.path() / "results.json"));
        out.commit();
    }
    CHECK(fs::exists(final / "results.json"));
}

TEST_CASE("A staged directory that is abandoned leaves nothing behind", "[core][files]") {
    const fs::path root = scratch("abandoned");
    fs::path staging;
    {
        StagedDirectory out(root / "run", false);
        staging = out.path();
        std::ofstream(out.path() / "half.txt") << "x";
    }
    CHECK_FALSE(fs::exists(staging));
    CHECK_FALSE(fs::exists(root / "run"));
}

TEST_CASE("An existing output is refused unless replacing, and replaced whole", "[core][files]") {
    const fs::path root = scratch("replace");
    {
        StagedDirectory first(root / "run", false);
        std::ofstream(first.path() / "old.txt") << "old";
        first.commit();
    }
    CHECK_THROWS_AS(StagedDirectory(root / "run", false), InputError);
    {
        StagedDirectory out(root / "run", true);
        std::ofstream(out.path() / "new.txt") << "new";
        CHECK(fs::exists(root / "run" / "old.txt"));  // still the old complete run until commit
        out.commit();
    }
    CHECK(fs::exists(root / "run" / "new.txt"));
    CHECK_FALSE(fs::exists(root / "run" / "old.txt"));
    CHECK(std::distance(fs::directory_iterator(root), fs::directory_iterator()) == 1);  // the old one is gone, not set aside
}

TEST_CASE("Replacing refuses what alprsim did not write, and leaves it as it was", "[core][files][hardening]") {
    const fs::path root = scratch("not-ours");
    fs::create_directories(root / "folder");
    std::ofstream(root / "folder" / "thesis.tex") << "years of work";
    std::ofstream(root / "plain-file") << "notes";
    fs::create_directory_symlink(root / "folder", root / "link");
    for (const char* name : {"folder", "plain-file", "link"}) {
        INFO(name);
        try {
            StagedDirectory out(root / name, true);
            FAIL("replaced something alprsim did not write");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find((root / name).string()) != std::string::npos);
            CHECK(std::string(e.what()).find(kOutputMarker) != std::string::npos);
        }
    }
    CHECK(readTextFile(root / "folder" / "thesis.tex") == "years of work");
    CHECK(readTextFile(root / "plain-file") == "notes");
    CHECK(fs::is_symlink(root / "link"));
    CHECK(std::distance(fs::directory_iterator(root), fs::directory_iterator()) == 3);  // no partial left either
}

TEST_CASE("A commit never replaces an output that appeared after the start", "[core][files][hardening]") {
    const fs::path root = scratch("commit-race");
    SECTION("created meanwhile, without --force") {
        StagedDirectory out(root / "run", false);
        fs::create_directories(root / "run");  // as another process's commit would
        std::ofstream(root / "run" / "theirs.txt") << "theirs";
        CHECK_THROWS_AS(out.commit(), InputError);
    }
    SECTION("replaced meanwhile, with --force") {
        {
            StagedDirectory earlier(root / "run", false);
            earlier.commit();
        }
        StagedDirectory out(root / "run", true);
        fs::rename(root / "run", root / "moved");  // another process replaced the earlier output
        fs::create_directories(root / "run");
        std::ofstream(root / "run" / "theirs.txt") << "theirs";
        std::ofstream(root / "run" / kOutputMarker) << "x";
        CHECK_THROWS_AS(out.commit(), InputError);
    }
    CHECK(readTextFile(root / "run" / "theirs.txt") == "theirs");
}

TEST_CASE("Partial outputs of processes that are gone are cleared; live ones and others' folders are kept",
          "[core][files][hardening]") {
    const fs::path root = scratch("stale-partials");
    const fs::path stale = root / "old-run.partial-999999";  // what kill -9 leaves: marker, no lock
    fs::create_directories(stale);
    std::ofstream(stale / kOutputMarker) << "x";
    std::ofstream(stale / "reads.sqlite") << "half";
    const fs::path foreign = root / "photos.partial-3";  // the same pattern, but not ours
    fs::create_directories(foreign);
    std::ofstream(foreign / "a.jpg") << "jpeg";
    const fs::path live = root / "other.partial-4";  // ours, and its writer holds the lock
    fs::create_directories(live);
    std::ofstream(live / kOutputMarker) << "x";
    const int lock = ::open((live / kOutputMarker).c_str(), O_RDONLY);
    REQUIRE(::flock(lock, LOCK_EX) == 0);
    {
        StagedDirectory out(root / "run", false);
        CHECK_FALSE(fs::exists(stale));
        CHECK(fs::exists(foreign / "a.jpg"));
        CHECK(fs::exists(live / kOutputMarker));
        out.commit();
    }
    // A live partial of the same name: another process is writing that output now.
    fs::rename(live, root / "run2.partial-4");
    try {
        StagedDirectory out(root / "run2", false);
        FAIL("staged an output another process is writing");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("is writing it now") != std::string::npos);
    }
    ::close(lock);
}

TEST_CASE("Reads stop at the stated limit of their kind, counted on the bytes read", "[core][files][hardening]") {
    // /dev/zero has no size to stat and no end: only counting what was read stops it.
    const InputKind small{"a test input", 2 * kMiB};
    try {
        readTextFile("/dev/zero", small);
        FAIL("read an endless device");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("/dev/zero") != std::string::npos);
        CHECK(std::string(e.what()).find("a test input of at most 2 MiB") != std::string::npos);
    }
    const fs::path root = scratch("limits");
    std::ofstream(root / "exact") << std::string(2 * kMiB, 'x');
    CHECK(readTextFile(root / "exact", small).size() == 2 * kMiB);
    std::ofstream(root / "over") << std::string(2 * kMiB + 1, 'x');
    CHECK_THROWS_AS(readTextFile(root / "over", small), InputError);
    CHECK_THROWS_WITH(readTextFile(root, small), Catch::Contains("it is a folder"));
    CHECK(kScenarioInput.maxBytes == 16 * kMiB);  // docs/hardening.md states these
    CHECK(kSweepInput.maxBytes == 16 * kMiB);
}

TEST_CASE("Data files are found on the search path in order", "[core][files]") {
    const fs::path root = scratch("search");
    fs::create_directories(root / "a" / "ma");
    fs::create_directories(root / "b" / "ma");
    std::ofstream(root / "b" / "ma" / "x.osm") << "b";
    CHECK(findDataFile("ma/x.osm", {root / "a", root / "b"}) == fs::weakly_canonical(root / "b" / "ma" / "x.osm"));
    std::ofstream(root / "a" / "ma" / "x.osm") << "a";
    CHECK(findDataFile("ma/x.osm", {root / "a", root / "b"}) == fs::weakly_canonical(root / "a" / "ma" / "x.osm"));
    CHECK(findDataFile("ma/missing.osm", {root / "a", root / "b"}).empty());
}

TEST_CASE("Reading a missing file names it", "[core][files]") {
    try {
        readTextFile("/nonexistent/alprsim/file.json");
        FAIL("no exception");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("/nonexistent/alprsim/file.json") != std::string::npos);
    }
}

TEST_CASE("A file written piece by piece appears only on commit, and replaces the old one whole", "[core][files]") {
    const fs::path root = scratch("atomic");
    const fs::path file = root / "trips.csv";
    std::ofstream(file) << "old\n";
    {
        AtomicFileWriter out(file);
        out.out() << "new ";
        CHECK(readTextFile(file) == "old\n");  // readers still see the old complete file
        out.out() << "rows\n";
        out.commit();
    }
    CHECK(readTextFile(file) == "new rows\n");
    {
        AtomicFileWriter abandoned(file);
        abandoned.out() << "half";
    }
    CHECK(readTextFile(file) == "new rows\n");
    CHECK(std::distance(fs::directory_iterator(root), fs::directory_iterator()) == 1);  // no temporary left
    // A missing folder is created (every command that writes does so); a file in its place is
    // an OutputError naming the folder, without the disk-full hint that would mislead.
    {
        AtomicFileWriter created(root / "missing-folder" / "x.csv");
        created.out() << "x\n";
        created.commit();
    }
    CHECK(readTextFile(root / "missing-folder" / "x.csv") == "x\n");
    std::ofstream(root / "blocker") << "a file\n";
    try {
        AtomicFileWriter blocked(root / "blocker" / "x.csv");
        FAIL("a file in the folder's place was accepted");
    } catch (const OutputError& e) {
        CHECK(std::string(e.what()).find("cannot create the folder " + (root / "blocker").string()) != std::string::npos);
        CHECK(std::string(e.what()).find("disk full") == std::string::npos);
    }
}

TEST_CASE("A partial folder killed before its marker was written is cleared once its process is gone", "[files]") {
    const fs::path root = scratch("markerless-partial");
    // A pid that is surely gone: a child that exited and was reaped.
    const pid_t gone = ::fork();
    if (gone == 0) ::_exit(0);
    REQUIRE(gone > 0);
    int status = 0;
    REQUIRE(::waitpid(gone, &status, 0) == gone);
    const fs::path empty = root / ("run.partial-" + std::to_string(gone));
    const fs::path alive = root / ("run.partial-" + std::to_string(::getppid()));
    const fs::path users = root / ("other.partial-" + std::to_string(gone));
    fs::create_directories(empty);
    fs::create_directories(alive);
    fs::create_directories(users);
    std::ofstream(users / "notes.txt") << "someone's file\n";
    {
        StagedDirectory out(root / "next", false);
        out.commit();
    }
    CHECK_FALSE(fs::exists(empty));          // ours by its name, empty, its process gone
    CHECK(fs::exists(alive));                // its process may still be writing
    CHECK(fs::exists(users / "notes.txt"));  // not ours: it holds something without our marker
}

TEST_CASE("A name's slug keeps its letters and digits in lower case, other runs as one dash", "[core][files]") {
    CHECK(nameSlug("North Attleborough") == "north-attleborough");
    CHECK(nameSlug("Boston") == "boston");
    CHECK(nameSlug("  St. John's PD 2 ") == "st-john-s-pd-2");
    CHECK(nameSlug("...") == "");
    CHECK(nameSlug("") == "");
}
