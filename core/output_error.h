#pragma once
// An output that could not be written: a full disk, a file-size limit, a folder without write
// permission. Not the user's input and not a bug, so it has its own message (exit code 1, like
// any failure that leaves no result; the partial output is removed as for any other error).
#include <stdexcept>
#include <string>

namespace alprsim {

class OutputError : public std::runtime_error {
public:
    // `file` is what could not be written, `reason` the system's word for why (strerror).
    OutputError(const std::string& file, const std::string& reason)
        : std::runtime_error("cannot write " + file + ": " + reason + (isPathReason(reason) ? "" : " (is the disk full?)")) {}

    // The folder an output goes into could not be created (a file in the way, no permission).
    static OutputError folder(const std::string& folder, const std::string& file, const std::string& reason) {
        return OutputError("cannot create the folder " + folder + " for " + file + ": " + reason);
    }

private:
    explicit OutputError(const std::string& message) : std::runtime_error(message) {}
    // Reasons that are about the path, not the space: the disk-full hint would send the user
    // the wrong way.
    static bool isPathReason(const std::string& reason) {
        for (const char* r :
             {"Permission denied", "No such file or directory", "Not a directory", "Read-only file system", "Is a directory"})
            if (reason.find(r) != std::string::npos) return true;
        return false;
    }
};

}  // namespace alprsim
