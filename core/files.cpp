#include "core/files.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/output_error.h"

#ifndef ALPRSIM_SOURCE_DIR
#define ALPRSIM_SOURCE_DIR "."
#endif

namespace alprsim {

std::ifstream openInputFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), "", "a readable file (it does not exist or cannot be opened)");
    return in;
}

std::string readTextFile(const fs::path& path) {
    std::ifstream in = openInputFile(path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw InputError(path.string(), "", "a readable file (reading it failed)");
    return buffer.str();
}

uint64_t fnv1a64(const std::string& bytes, uint64_t seed) {
    uint64_t h = seed;
    for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

std::string hex64(uint64_t value) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return buf;
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

StagedDirectory::StagedDirectory(fs::path finalPath, bool replaceExisting)
    : final_(std::move(finalPath)), replace_(replaceExisting) {
    if (final_.has_filename() == false) final_ = final_.parent_path();
    if (fs::exists(final_) && !replace_) {
        throw InputError(final_.string(), "", "an output directory that does not exist yet (use --force to replace it)");
    }
    const fs::path parent = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
    createParentFolder(final_);
    staging_ = parent / (final_.filename().string() + ".partial-" + std::to_string(::getpid()));
    fs::remove_all(staging_);
    std::error_code ec;
    fs::create_directory(staging_, ec);
    if (ec) throw OutputError(staging_.string(), ec.message());
}

StagedDirectory::~StagedDirectory() {
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(staging_, ec);
    }
}

void StagedDirectory::commit() {
    if (fs::exists(final_)) {
        // Move the old one aside first so that a crash between the two renames leaves
        // either the old complete output or the new one, never a mixture.
        const fs::path old = final_.string() + ".old-" + std::to_string(::getpid());
        fs::rename(final_, old);
        fs::rename(staging_, final_);
        fs::remove_all(old);
    } else {
        fs::rename(staging_, final_);
    }
    committed_ = true;
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

}  // namespace alprsim
