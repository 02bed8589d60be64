#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/files.h"
#include "core/output_error.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
    const fs::path p = fs::current_path() / ("tmp-files-" + name);
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}
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
    fs::create_directories(root / "run");
    std::ofstream(root / "run" / "old.txt") << "old";
    CHECK_THROWS_AS(StagedDirectory(root / "run", false), InputError);
    {
        StagedDirectory out(root / "run", true);
        std::ofstream(out.path() / "new.txt") << "new";
        CHECK(fs::exists(root / "run" / "old.txt"));  // still the old complete run until commit
        out.commit();
    }
    CHECK(fs::exists(root / "run" / "new.txt"));
    CHECK_FALSE(fs::exists(root / "run" / "old.txt"));
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
