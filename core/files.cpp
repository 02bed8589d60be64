#include "core/files.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "core/output_error.h"
#include "core/progress.h"

#ifndef ALPRSIM_SOURCE_DIR
#define ALPRSIM_SOURCE_DIR "."
#endif

namespace alprsim {

std::ifstream openInputFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), "", "a readable file (it does not exist or cannot be opened)");
    return in;
}

namespace {

std::string sizeText(uint64_t bytes) {
    if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
    return std::to_string(bytes) + " bytes";
}

// Closes a descriptor when it goes out of scope.
struct FileDescriptor {
    int fd;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

// Waits until `fd` has data or its end; a regular file or device is ready at once. A FIFO
// opened without blocking reads as ended while no writer has come yet, but poll() waits for
// the writer (Linux reports a hang-up only once a writer has been and gone). Polls in steps,
// so a SIGINT/SIGTERM during a wait on a slow pipe ends it even though the handlers restart
// system calls.
void waitReadable(int fd) {
    pollfd p{fd, POLLIN, 0};
    for (;;) {
        if (interruptRequested()) throw Interrupted();
        const int ready = ::poll(&p, 1, 100);
        if (ready > 0) return;
        if (ready < 0 && errno != EINTR) return;  // read() will report it
    }
}

}  // namespace

void readFileInPieces(const fs::path& path, const InputKind& kind, const std::function<void(const char*, size_t)>& piece) {
    // O_NONBLOCK: opening a pipe nobody writes to yet must not block where no signal can end it.
    const FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (file.fd < 0) throw InputError(path.string(), "", std::string("a readable file (") + std::strerror(errno) + ")");
    std::vector<char> buffer(kMiB);
    uint64_t total = 0;
    for (;;) {
        waitReadable(file.fd);
        const ssize_t n = ::read(file.fd, buffer.data(), buffer.size());
        if (n == 0) return;
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) continue;  // waited for again above
            const std::string reason = errno == EISDIR ? "it is a folder" : std::strerror(errno);
            throw InputError(path.string(), "", "a readable file (reading it failed: " + reason + ")");
        }
        total += static_cast<uint64_t>(n);
        if (total > kind.maxBytes)
            throw InputError(path.string(), "",
                             std::string(kind.what) + " of at most " + sizeText(kind.maxBytes) +
                                 "; this one is larger (reading stopped there)");
        piece(buffer.data(), static_cast<size_t>(n));
    }
}

std::string readTextFile(const fs::path& path, const InputKind& kind) {
    std::string text;
    readFileInPieces(path, kind, [&](const char* bytes, size_t n) { text.append(bytes, n); });
    return text;
}

std::vector<fs::path> dataSearchPath(const fs::path& scenarioDir) {
    std::vector<fs::path> dirs;
    if (!scenarioDir.empty()) dirs.push_back(scenarioDir);
    if (const char* env = std::getenv("ALPRSIM_DATA"); env && *env) dirs.emplace_back(env);
    dirs.push_back(fs::path(ALPRSIM_SOURCE_DIR) / ".." / "shared" / "data");
    return dirs;
}

std::vector<fs::path> scenarioSearchPath(const fs::path& sweepDir) {
    std::vector<fs::path> dirs{sweepDir.empty() ? fs::path(".") : sweepDir};
    dirs.push_back(fs::path(ALPRSIM_SOURCE_DIR) / "scenarios");
    return dirs;
}

fs::path findDataFile(const std::string& name, const std::vector<fs::path>& searchPath) {
    const fs::path p(name);
    std::error_code ec;
    if (p.is_absolute()) return fs::is_regular_file(p, ec) ? p : fs::path();  // not a folder, not a device
    for (const fs::path& dir : searchPath) {
        const fs::path candidate = dir / p;
        if (fs::is_regular_file(candidate, ec)) return fs::weakly_canonical(candidate, ec);
    }
    return {};
}

fs::path cacheDir() {
    if (const char* env = std::getenv("ALPRSIM_CACHE"); env && *env) return env;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "alprsim";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "alprsim";
    return fs::temp_directory_path() / "alprsim-cache";
}

namespace {

constexpr const char* kPartialMark = ".partial-";

// Opens DIR's marker and tries to lock it: the descriptor if DIR is an output folder whose
// writer is gone (the caller then holds the lock), -1 if its writer lives or it is not ours.
int lockAbandonedOutput(const fs::path& dir) {
    const int fd = ::open((dir / kOutputMarker).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
    ::close(fd);
    return -1;
}

bool writerAlive(const fs::path& dir) {
    const int fd = ::open((dir / kOutputMarker).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return locked;
}

// A partial folder killed between its mkdir and its marker: named NAME.partial-PID by our rule,
// holding nothing but the marker's temporary file at most, and its process gone.
bool markerlessPartialOfDeadProcess(const fs::path& dir, const std::string& pidText) {
    char* end = nullptr;
    const long pid = std::strtol(pidText.c_str(), &end, 10);
    if (pidText.empty() || *end != '\0' || pid <= 0 || (::kill(pid_t(pid), 0) == 0 || errno != ESRCH)) return false;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), stop; !ec && it != stop; it.increment(ec))
        if (it->path().filename() != std::string(kOutputMarker) + ".tmp") return false;
    return !ec;
}

// Removes NAME.partial-PID folders in `parent` that a killed process left (ours by their
// marker, their writer gone by its lock) and refuses if a live one is staging `finalName`.
void clearPartials(const fs::path& parent, const std::string& finalName, const fs::path& finalPath) {
    std::error_code ec;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path entry = it->path();
        const std::string name = entry.filename().string();
        const size_t mark = name.rfind(kPartialMark);
        if (mark == std::string::npos || !it->is_directory(ec) || it->is_symlink(ec)) continue;
        const int lock = lockAbandonedOutput(entry);
        if (lock >= 0) {
            std::error_code ignored;
            fs::remove_all(entry, ignored);
            ::close(lock);
        } else if (markerlessPartialOfDeadProcess(entry, name.substr(mark + std::strlen(kPartialMark)))) {
            std::error_code ignored;
            fs::remove_all(entry, ignored);
        } else if (name.compare(0, mark, finalName) == 0 && mark == finalName.size() && writerAlive(entry)) {
            throw InputError(finalPath.string(), "",
                             "an output folder no other process is writing; alprsim process " +
                                 name.substr(mark + std::strlen(kPartialMark)) + " is writing it now (" + entry.string() + ")");
        }
    }
}

// Writes DIR/kOutputMarker and returns a descriptor holding its lock. The lock is taken
// before the marker gets its name, so no other process ever sees it unlocked.
int createLockedMarker(const fs::path& dir) {
    const fs::path tmp = dir / (std::string(kOutputMarker) + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw OutputError(tmp.string(), std::strerror(errno));
    const std::string text = "alprsim output folder (alprsim run --force may replace it)\n";
    if (::flock(fd, LOCK_EX) != 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
        ::rename(tmp.c_str(), (dir / kOutputMarker).c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        throw OutputError((dir / kOutputMarker).string(), reason);
    }
    return fd;
}

std::string conflictText(const char* what) {
    return std::string("an output folder that no other process writes while this one runs; ") + what +
           ", so this output was not kept (the other was left as it is)";
}

}  // namespace

StagedDirectory::StagedDirectory(fs::path finalPath, bool replaceExisting) : final_(std::move(finalPath)) {
    if (final_.has_filename() == false) final_ = final_.parent_path();
    const fs::path parent = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
    createParentFolder(final_);
    const std::string name = final_.filename().string();
    clearPartials(parent, name, final_);
    struct stat found {};
    if (::lstat(final_.c_str(), &found) == 0) {
        if (!replaceExisting)
            throw InputError(final_.string(), "",
                             "an output directory that does not exist yet (use --force to replace an earlier output)");
        std::error_code ec;
        if (!S_ISDIR(found.st_mode) || !fs::is_regular_file(final_ / kOutputMarker, ec))
            throw InputError(final_.string(), "",
                             std::string("an earlier output of alprsim to replace (--force replaces only a folder holding ") +
                                 kOutputMarker + ", which alprsim writes); this is not one, and was left as it was");
        replaced_ = FileId{static_cast<uint64_t>(found.st_dev), static_cast<uint64_t>(found.st_ino)};
    }
    staging_ = parent / (name + kPartialMark + std::to_string(::getpid()));
    // Our own pid's name: its earlier owner is gone (it was cleared above if it was ours).
    if (fs::exists(staging_) || ::mkdir(staging_.c_str(), 0755) != 0)
        throw OutputError(staging_.string(),
                          fs::exists(staging_) ? "it exists and is not an alprsim output" : std::strerror(errno));
    try {
        markerLock_ = createLockedMarker(staging_);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(staging_, ec);
        throw;
    }
}

StagedDirectory::~StagedDirectory() {
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(staging_, ec);
    }
    if (markerLock_ >= 0) ::close(markerLock_);
}

void StagedDirectory::commit() {
    if (!replaced_) {
        // No replacing: fails if anything appeared at the final name meanwhile.
        if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_.c_str(), RENAME_NOREPLACE) != 0) {
            if (errno == EEXIST || errno == ENOTEMPTY)
                throw InputError(final_.string(), "", conflictText("another process created it meanwhile"));
            if (errno != EINVAL) throw OutputError(final_.string(), std::strerror(errno));
            // A file system without RENAME_NOREPLACE (some network file systems): check, then rename.
            if (fs::exists(final_)) throw InputError(final_.string(), "", conflictText("another process created it meanwhile"));
            fs::rename(staging_, final_);
        }
        committed_ = true;
        return;
    }
    // Replacing: swap the two in one step, then check that what was swapped out is what was
    // found at the start; if another process had replaced it meanwhile, swap back.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_.c_str(), RENAME_EXCHANGE) != 0) {
        if (errno == ENOENT) throw InputError(final_.string(), "", conflictText("another process removed it meanwhile"));
        throw OutputError(final_.string(), std::strerror(errno));
    }
    struct stat swapped {};
    if (::lstat(staging_.c_str(), &swapped) != 0 ||
        !(FileId{static_cast<uint64_t>(swapped.st_dev), static_cast<uint64_t>(swapped.st_ino)} == *replaced_)) {
        ::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_.c_str(), RENAME_EXCHANGE);
        throw InputError(final_.string(), "", conflictText("another process replaced it meanwhile"));
    }
    committed_ = true;
    std::error_code ec;
    fs::remove_all(staging_, ec);  // the earlier output; if this fails, it is a stale partial for the next run
}

void writeFileAtomically(const fs::path& path, const std::string& contents) {
    AtomicFileWriter file(path);
    file.out() << contents;
    file.commit();
}

void createParentFolder(const fs::path& file) {
    const fs::path parent = file.parent_path();
    if (parent.empty()) return;
    std::error_code ec;
    if (fs::is_directory(parent, ec)) return;
    fs::create_directories(parent, ec);
    if (ec) throw OutputError::folder(parent.string(), file.string(), ec.message());
}

AtomicFileWriter::AtomicFileWriter(fs::path path)
    : path_(std::move(path)), tmp_(path_.string() + ".tmp-" + std::to_string(::getpid())) {
    createParentFolder(path_);
    errno = 0;
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw OutputError(path_.string(), errno != 0 ? std::strerror(errno) : "cannot create it");
}

AtomicFileWriter::~AtomicFileWriter() {
    if (committed_) return;
    out_.close();
    std::error_code ec;
    fs::remove(tmp_, ec);
}

void AtomicFileWriter::commit() {
    errno = 0;
    out_.close();  // close() flushes: a full disk may only show here
    if (!out_) throw OutputError(path_.string(), errno != 0 ? std::strerror(errno) : "write failed");
    fs::rename(tmp_, path_);
    committed_ = true;
}

std::string nameSlug(const std::string& name) {
    std::string slug;
    for (unsigned char c : name) {
        if (std::isalnum(c))
            slug += static_cast<char>(std::tolower(c));
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

}  // namespace alprsim
