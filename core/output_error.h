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
        : std::runtime_error("cannot write " + file + ": " + reason + " (is the disk full?)") {}
};

}  // namespace alprsim
