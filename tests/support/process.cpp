#include "tests/support/process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace alprsim::test {

ProcessResult runProcess(const std::vector<std::string>& argv) {
    int pipefd[2];
    if (pipe(pipefd) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        close(pipefd[1]);
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(pipefd[1]);
    ProcessResult result;
    char buf[4096];
    ssize_t n;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0) result.output.append(buf, static_cast<size_t>(n));
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::string alprsimBinary() { return ALPRSIM_BINARY; }
std::string sourceDir() { return ALPRSIM_SOURCE_DIR; }

std::string freshDir(const std::string& name) {
    const auto dir = std::filesystem::current_path() / ("tmp-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string quickScenarioVariant(const std::string& dir, const std::string& name, int vehicles, double durationHours,
                                 double departWindowHours) {
    nlohmann::json s = nlohmann::json::parse(readFile(sourceDir() + "/scenarios/quick.json"));
    s["demand"]["vehicles"] = vehicles;
    s["time"]["duration_hours"] = durationHours;
    if (departWindowHours > 0) s["demand"]["depart_window_hours"] = departWindowHours;
    const std::string path = dir + "/" + name + ".json";
    std::ofstream(path) << s.dump();
    return path;
}

}  // namespace alprsim::test
