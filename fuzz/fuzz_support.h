#pragma once
// Shared by the harnesses: a private scratch folder per fuzzing process, holding copies of the
// repository's scenarios so that relative references ("extends": "quick.json", a sweep's
// "base") resolve the way they do for a user's files.
#include <filesystem>
#include <string>

namespace alprsim::fuzz {

// Created on first use (in /dev/shm when there is one: the harnesses write a file per input).
const std::filesystem::path& scratchDir();

// Writes `size` bytes to `name` inside scratchDir() and returns its path.
std::filesystem::path writeScratchFile(const std::string& name, const uint8_t* data, size_t size);

}  // namespace alprsim::fuzz
