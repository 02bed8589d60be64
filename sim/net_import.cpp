#include "sim/net_import.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/output_error.h"
#include "core/process.h"

namespace alprsim {

namespace {

constexpr const char* kNetconvert = "netconvert";

std::string tailOfFile(const fs::path& path, size_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > maxBytes ? "..." + text.substr(text.size() - maxBytes) : text;
}

// Runs argv (argv[0] found on PATH) with stdout and stderr sent to logFile; returns its exit code.
int runLogged(const std::vector<std::string>& argv, const fs::path& logFile) {
    ChildOptions options;
    options.outputFile = logFile.string();
    options.closeStdin = true;
    options.searchPath = true;
    return waitChild(startChild(argv, options));
}

// Why files cannot be created in `dir` (created if missing), or "" when they can.
std::string unwritableReason(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return ec.message();
    const fs::path probe = dir / (".write-test-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return std::strerror(errno);
    ::close(fd);
    ::unlink(probe.c_str());
    return "";
}

}  // namespace

void ensureSumoHome() {
    if (const char* home = std::getenv("SUMO_HOME"); home && *home) return;
    ::setenv("SUMO_HOME", "/usr/share/sumo", 0);
}

fs::path massachusettsSpeedTypes() { return fs::path(ALPRSIM_SUMO_DATA_DIR) / "massachusetts-speeds.typ.xml"; }

const std::vector<std::string>& defaultNetconvertOptions() {
    ensureSumoHome();
    const fs::path sumoTypes = fs::path(std::getenv("SUMO_HOME")) / "data" / "typemap" / "osmNetconvert.typ.xml";
    static const std::vector<std::string> options = {"--type-files",
                                                     sumoTypes.string() + "," + massachusettsSpeedTypes().string(),
                                                     "--geometry.remove",
                                                     "--ramps.guess",
                                                     "--junctions.join",
                                                     "--tls.guess-signals",
                                                     "--tls.discard-simple",
                                                     "--tls.join",
                                                     "--tls.guess",
                                                     "--remove-edges.isolated",
                                                     "--keep-edges.by-vclass",
                                                     "passenger",
                                                     "--roundabouts.guess",
                                                     "--output.street-names",
                                                     "--no-internal-links",
                                                     "--no-turnarounds.except-deadend",
                                                     "--proj.utm",
                                                     "--seed",
                                                     "1"};
    return options;
}

void importNetwork(const fs::path& osmFile, const fs::path& outFile) {
    std::error_code ec;
    const fs::file_status osm = fs::status(osmFile, ec);
    if (!fs::exists(osm)) throw InputError(osmFile.string(), "", "an OpenStreetMap XML file (not found)");
    if (fs::is_directory(osm)) throw InputError(osmFile.string(), "", "an OpenStreetMap XML file, not a folder");
    if (!fs::is_regular_file(osm))
        throw InputError(osmFile.string(), "", "an OpenStreetMap XML file, not a device, pipe or socket");
    ensureSumoHome();
    // The output's folder first: netconvert's log goes beside the output, and a log that cannot
    // be opened would look like a netconvert that cannot start.
    createParentFolder(outFile);
    const fs::path log = outFile.string() + ".netconvert.log";
    {
        errno = 0;
        std::ofstream probe(log, std::ios::binary | std::ios::trunc);
        if (!probe) throw OutputError(log.string(), errno != 0 ? std::strerror(errno) : "cannot create it");
    }
    std::vector<std::string> argv = {kNetconvert, "--osm-files", osmFile.string(), "-o", outFile.string()};
    for (const std::string& o : defaultNetconvertOptions()) argv.push_back(o);
    const int status = runLogged(argv, log);
    if (status == 127) {  // startChild's code for a program that could not be executed
        fs::remove(log, ec);
        throw std::runtime_error("cannot start netconvert (is the sumo package installed?)");
    }
    if (status != 0 || !fs::exists(outFile)) {
        const std::string tail = tailOfFile(log, 600);
        fs::remove(outFile, ec);
        fs::remove(log, ec);  // its end is in the message
        throw InputError(osmFile.string(), "",
                         "an OpenStreetMap file netconvert can convert; it exited with " + std::to_string(status) + ":\n" + tail);
    }
    fs::remove(log, ec);
}

fs::path cachedNetwork(const fs::path& osmFile, const fs::path& scratchDir) {
    // Hashed in pieces: an OSM extract can be gigabytes, and is never held whole.
    uint64_t h = kFnv1aOffset;
    readFileInPieces(osmFile, kOsmInput, [&](const char* bytes, size_t n) { h = fnv1a64(std::string(bytes, n), h); });
    for (const std::string& o : defaultNetconvertOptions()) h = fnv1a64(o + "\n", h);
    h = fnv1a64(readTextFile(massachusettsSpeedTypes()), h);
    h = fnv1a64("sumo-1.15", h);
    const fs::path dir = cacheDir() / "nets";
    const fs::path cached = dir / (osmFile.stem().string() + "-" + hex64(h) + ".net.xml.gz");
    std::error_code ec;
    if (fs::exists(cached, ec)) return cached;
    if (const std::string why = unwritableReason(dir); !why.empty()) {
        if (scratchDir.empty()) throw OutputError(dir.string(), why);
        std::fprintf(stderr,
                     "alprsim: warning: the network cache %s cannot be written (%s); converting %s without a cache "
                     "(set ALPRSIM_CACHE to a writable folder)\n",
                     dir.c_str(), why.c_str(), osmFile.c_str());
        const fs::path uncached = scratchDir / kUncachedNetwork;
        importNetwork(osmFile, uncached);
        return uncached;
    }
    // Convert under a private name, then rename: concurrent runs (a sweep) never read half a net.
    const fs::path tmp = dir / (cached.filename().string() + ".tmp-" + std::to_string(::getpid()) + ".net.xml.gz");
    importNetwork(osmFile, tmp);
    fs::rename(tmp, cached);
    return cached;
}

}  // namespace alprsim
