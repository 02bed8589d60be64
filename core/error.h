#pragma once
// Errors that cross stage boundaries. An InputError is the user's to fix (exit code 2):
// it names the file, the place in it (a JSON path such as /cameras/placement/count) and
// what was expected there. Anything else escaping to main() is an internal failure (exit 1).
#include <stdexcept>
#include <string>

namespace alprsim {

class InputError : public std::runtime_error {
public:
    InputError(std::string file, std::string where, std::string expected);

    const std::string& file() const { return file_; }
    const std::string& where() const { return where_; }
    const std::string& expected() const { return expected_; }

private:
    std::string file_;
    std::string where_;
    std::string expected_;
};

enum ExitCode : int { kExitOk = 0, kExitInternal = 1, kExitBadInput = 2, kExitInterrupted = 130 };

}  // namespace alprsim
