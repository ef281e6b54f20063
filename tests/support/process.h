#pragma once
// Child processes and ports for tests that run real servers (amends itself, an SMTP server).

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace amends::testing {

// A port nothing listens on right now (bound to 127.0.0.1 and released).
std::uint16_t FreePort();
// Starts `args[0]` with `args`, its stdout and stderr appended to `log`.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log);
// Sends `signal` and waits for the child; returns its wait status.
int StopChild(pid_t pid, int signal);

// The last non-empty line of a file (a command's output, e.g. the token `amends user add` prints).
std::string LastLine(const std::string& path);

// Runs `command` with /bin/sh, its stdout and stderr captured together.
struct ShellRun {
    int exit_code = -1;  // -1 when it did not exit normally
    std::string out;
};
ShellRun RunShell(const std::string& command);

// The records a test server (tests/support/*_sink.py) wrote to `dir`, one NNNNNN.json file each, oldest first.
std::vector<nlohmann::json> ReadJsonRecords(const std::filesystem::path& dir);

}  // namespace amends::testing
