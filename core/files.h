#pragma once
// Files as the contract between stages: finding input data, hashing it for caches, and
// writing an output directory so that it only ever appears complete.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace alprsim {

namespace fs = std::filesystem;

// Whole file as a string; throws InputError naming the file if it cannot be read.
std::string readTextFile(const fs::path& path);

// A file opened for reading (binary); throws InputError naming the file if it cannot be opened.
std::ifstream openInputFile(const fs::path& path);

// 64-bit FNV-1a over bytes; enough to key a cache, not a security hash.
uint64_t fnv1a64(const std::string& bytes, uint64_t seed = 0xcbf29ce484222325ULL);
std::string hex64(uint64_t value);

// Where data files named by a scenario are looked for, in order: the scenario's own folder,
// $ALPRSIM_DATA, then the shared data folder beside the repository (../shared/data).
std::vector<fs::path> dataSearchPath(const fs::path& scenarioDir);

// Where a sweep's base scenario is looked for, in order: the sweep file's own folder, then the
// scenarios shipped with alprsim (the repository's scenarios/), so that "base": "quick.json"
// means the same file wherever the sweep file is kept.
std::vector<fs::path> scenarioSearchPath(const fs::path& sweepDir);

// The first existing file `name` on the search path, or an empty path.
fs::path findDataFile(const std::string& name, const std::vector<fs::path>& searchPath);

// Cache folder for derived files (converted networks): $ALPRSIM_CACHE, else
// $XDG_CACHE_HOME/alprsim, else ~/.cache/alprsim.
fs::path cacheDir();

// An output directory that is written under a temporary name beside its final place and
// renamed into place by commit(). If the process dies first, only the temporary name is left
// (it never looks complete); if the object is destroyed without commit(), it is removed.
class StagedDirectory {
public:
    StagedDirectory(fs::path finalPath, bool replaceExisting);
    ~StagedDirectory();
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;

    const fs::path& path() const { return staging_; }
    const fs::path& finalPath() const { return final_; }
    void commit();

private:
    fs::path final_;
    fs::path staging_;
    bool replace_;
    bool committed_ = false;
};

// Creates the folder `file` goes into (and its parents), as every command that writes does.
// Throws OutputError naming the folder and why when it cannot (a file in the way, no
// permission), rather than letting the write fail later with a misleading reason.
void createParentFolder(const fs::path& file);

// Writes a file through a temporary name and a rename, so readers never see half of it.
// The file's folder is created first (createParentFolder).
void writeFileAtomically(const fs::path& path, const std::string& contents);

// The same for a file written piece by piece (too big to build in memory first): write to
// out(), then commit() renames it into place; destroyed without commit(), nothing is left.
class AtomicFileWriter {
public:
    explicit AtomicFileWriter(fs::path path);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    std::ostream& out() { return out_; }
    // Throws OutputError naming the file if any write failed (a full disk shows here).
    void commit();

private:
    fs::path path_, tmp_;
    std::ofstream out_;
    bool committed_ = false;
};

}  // namespace alprsim
