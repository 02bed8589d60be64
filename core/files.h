#pragma once
// Files as the contract between stages: finding input data, hashing it for caches, and
// writing an output directory so that it only ever appears complete.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace alprsim {

namespace fs = std::filesystem;

// What an input is and how large it may be. Every input is read with a limit, counted on the
// bytes actually read (a device such as /dev/zero or a pipe has no size to stat); the limits
// are stated in docs/hardening.md.
struct InputKind {
    const char* what;  // "a scenario file", for messages
    uint64_t maxBytes;
};
constexpr uint64_t kMiB = uint64_t{1024} * 1024;
inline constexpr InputKind kScenarioInput{"a scenario file", 16 * kMiB};
inline constexpr InputKind kSweepInput{"a sweep file", 16 * kMiB};
inline constexpr InputKind kTownsInput{"a towns GeoJSON file", 64 * kMiB};
inline constexpr InputKind kTruthCsvInput{"a ground truth CSV file", 64 * kMiB};
inline constexpr InputKind kImageInput{"an image file", 64 * kMiB};
inline constexpr InputKind kOsmInput{"an OpenStreetMap file", 4096 * kMiB};                       // hashed in pieces, never held
inline constexpr InputKind kRegionOsmInput{"an OpenStreetMap extract for a region", 512 * kMiB};  // parsed whole
inline constexpr InputKind kNetFileInput{"a SUMO network file", 4096 * kMiB};  // uncompressed, read line by line
// The run's CSV files (trips.csv, vehicles.csv) are read row by row, never whole: a row is bounded.
inline constexpr uint64_t kCsvRowBytes = 16 * kMiB;
// Anything else read whole: files of a run folder, models, the network summary.
inline constexpr InputKind kTextInput{"a file read whole", 256 * kMiB};

// A name as it may stand in a file name or an id: its letters and digits in lower case, every
// other run of characters one '-', none at either end ("North Attleborough" ->
// "north-attleborough"); empty for a name without letters or digits.
std::string nameSlug(const std::string& name);

// Whole file as a string; throws InputError naming the file if it cannot be read, or naming the
// file and the limit if it holds more than kind.maxBytes. A wait for a slow pipe ends with
// Interrupted on SIGINT/SIGTERM (see core/progress.h).
std::string readTextFile(const fs::path& path, const InputKind& kind = kTextInput);

// The same in pieces of up to 1 MiB handed to `piece`, for inputs never held whole.
void readFileInPieces(const fs::path& path, const InputKind& kind, const std::function<void(const char*, size_t)>& piece);

// A file opened for reading (binary); throws InputError naming the file if it cannot be opened.
std::ifstream openInputFile(const fs::path& path);

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

// The file alprsim puts in every output folder it makes: what says "alprsim wrote this", so
// that --force replaces only an earlier output and a stale partial is known to be ours. While
// the folder is being written, its writer holds an flock on the marker (the kernel drops it
// when the process dies, however it dies).
inline constexpr const char* kOutputMarker = ".alprsim-output";

// An output directory that is written under a temporary name beside its final place
// (NAME.partial-PID) and moved into place by commit(), so it only ever appears complete.
// - An existing output is refused unless replaceExisting (--force), and even then replaced only
//   if it holds kOutputMarker: anything else is refused (InputError) and left as it was.
// - commit() is atomic and replaces only what was found at the start: if another process
//   committed to the same place meanwhile, commit() throws InputError and keeps the other's.
// - Partial folders in the same parent whose writer is gone (marker present, its lock free)
//   are removed when a new one is staged there.
// Destroyed without commit(), the partial folder is removed.
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
    struct FileId {
        uint64_t device = 0, inode = 0;
        bool operator==(const FileId& o) const { return device == o.device && inode == o.inode; }
    };
    fs::path final_;
    fs::path staging_;
    std::optional<FileId> replaced_;  // the earlier output found at the start, if any
    int markerLock_ = -1;
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
