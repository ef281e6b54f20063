#pragma once
// The progress line of the long CLI commands (incident affected, declare, update, credit) and its rate.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>

namespace amends::cli {

// A progress line on stderr: rewritten in place on a terminal; elsewhere (a log file, a pipe) printed once, in its
// last state, when done, so a log holds one line rather than every state joined by carriage returns.
class ProgressLine {
public:
    explicit ProgressLine(bool enabled) : enabled_(enabled), terminal_(enabled && ::isatty(STDERR_FILENO) == 1) {}
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    void Show(std::string text) {
        if (!enabled_ || text == last_) return;
        last_ = std::move(text);
        if (terminal_) std::fprintf(stderr, "\r%s\x1b[K", last_.c_str());  // and clear what a longer text left
    }
    // Ends the line (idempotent).
    void Finish() {
        if (!enabled_ || last_.empty()) return;
        if (terminal_) std::fprintf(stderr, "\n");
        else std::fprintf(stderr, "%s\n", last_.c_str());
        last_.clear();
    }

private:
    bool enabled_, terminal_;
    std::string last_;
};

// " (1234 a second)" once there is a rate to tell.
inline std::string Rate(long long done, std::chrono::steady_clock::time_point start) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (done <= 0 || seconds <= 0) return "";
    char buf[48];
    std::snprintf(buf, sizeof buf, " (%.0f a second)", static_cast<double>(done) / seconds);
    return buf;
}

}  // namespace amends::cli
