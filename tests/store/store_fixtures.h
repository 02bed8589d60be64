#pragma once
// Shared helpers for the store tests: a scratch folder and a small camera layout.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "store/read_store.h"

namespace alprsim::testing {

// Simulated time in seconds.
constexpr double kMinute = 60.0;
constexpr double kHour = 3600.0;
constexpr double kDay = 86400.0;

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "alprsim-store-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Camera `index` of `agency`, placed on a 0.01-degree grid (about 1 km apart) so that area
// searches can tell cameras apart.
inline CameraRecord camera(const std::string& agency, int agencyIndex, int index) {
    return CameraRecord{agency + "-cam" + std::to_string(index), agency, "edge" + std::to_string(index), 10.0 * index,
                        LatLon{42.0 + 0.01 * agencyIndex, -71.0 + 0.01 * index}};
}

inline std::vector<CameraRecord> cameras(const std::vector<std::string>& agencies, int perAgency) {
    std::vector<CameraRecord> out;
    for (size_t a = 0; a < agencies.size(); ++a)
        for (int i = 0; i < perAgency; ++i) out.push_back(camera(agencies[a], static_cast<int>(a), i));
    return out;
}

inline Read readAt(const CameraRecord& cam, const std::string& plate, double time) {
    return Read{plate, time, cam.id, cam.where, 0.9};
}

}  // namespace alprsim::testing
