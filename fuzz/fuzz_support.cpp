#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace alprsim::fuzz {

namespace fs = std::filesystem;

namespace {
fs::path makeScratchDir() {
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    const fs::path dir = base / ("alprsim-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const auto& entry : fs::directory_iterator(fs::path(ALPRSIM_SOURCE_DIR) / "scenarios"))
        if (entry.path().extension() == ".json")
            fs::copy_file(entry.path(), dir / entry.path().filename(), fs::copy_options::overwrite_existing);
    // Removed at exit; a crashed run leaves it behind (small, named by pid).
    std::atexit([] {
        std::error_code e;
        fs::remove_all(scratchDir(), e);
    });
    return dir;
}
}  // namespace

const fs::path& scratchDir() {
    static const fs::path dir = makeScratchDir();
    return dir;
}

fs::path writeScratchFile(const std::string& name, const uint8_t* data, size_t size) {
    const fs::path file = scratchDir() / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) throw std::runtime_error("fuzz harness cannot write " + file.string());
    return file;
}

}  // namespace alprsim::fuzz
