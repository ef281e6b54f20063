#pragma once
// Child processes and ports for tests that run real servers (amends itself, an SMTP server).

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace amends::testing {

// A port nothing listens on right now (bound to 127.0.0.1 and released).
std::uint16_t FreePort();
// Starts `args[0]` with `args`, its stdout and stderr appended to `log`.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log);
// Sends `signal` and waits for the child; returns its wait status.
int StopChild(pid_t pid, int signal);

}  // namespace amends::testing
