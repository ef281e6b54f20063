// The test support's own process helpers, where a bug would hang or confuse every test that uses them.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"

namespace amends::testing {
namespace {

// Allocates at the end of a call chain chosen by the bits of `path`: a different chain each time, so a sanitizer
// records a new allocation stack (under its lock) on nearly every call.
[[gnu::noinline]] std::string* AllocateVia(unsigned path, int depth);
[[gnu::noinline]] std::string* LeftThen(unsigned path, int depth) { return AllocateVia(path >> 1, depth - 1); }
[[gnu::noinline]] std::string* RightThen(unsigned path, int depth) { return AllocateVia(path >> 1, depth - 1); }
std::string* AllocateVia(unsigned path, int depth) {
    if (depth == 0) return new std::string(100, 'x');
    std::string* s = (path & 1) ? LeftThen(path, depth) : RightThen(path, depth);
    asm volatile("" ::: "memory");  // not a tail call: the frame stays on the stack
    return s;
}

// Regression: Spawn's child opened its log with fopen between fork and exec. When another thread of the parent held
// an allocator lock at the fork (ASan's stack depot, glibc's arena), the child's malloc waited for it for good, and
// LedgerTest.AnIssuedRemedyIsSignalledOnceToABillingWebhook hung until ctest's timeout. Spawning many children
// while two threads allocate without pause hangs the old code (ctest's timeout fails it); the child now makes
// only async-signal-safe calls.
TEST(Spawn, ChildrenStartWhileOtherThreadsAllocate) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> busy;
    for (int t = 0; t < 2; ++t)
        busy.emplace_back([&stop, t] {
            for (unsigned path = static_cast<unsigned>(t) << 20; !stop.load(std::memory_order_relaxed); ++path)
                delete AllocateVia(path, 22);
        });
    std::string log = "/tmp/amends-spawn-" + std::to_string(::getpid()) + ".log";
    int exited_zero = 0;
    constexpr int kChildren = 300;
    for (int i = 0; i < kChildren; ++i) {
        pid_t pid = Spawn({"/bin/sh", "-c", "echo started"}, log);
        ASSERT_GT(pid, 0);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++exited_zero;
    }
    stop = true;
    for (auto& t : busy) t.join();
    EXPECT_EQ(exited_zero, kChildren);
    std::ifstream in(log);
    int lines = 0;
    for (std::string line; std::getline(in, line);) lines += line == "started";
    EXPECT_EQ(lines, kChildren) << "every child's output went to the log";
    std::filesystem::remove(log);
}

TEST(Spawn, AnUnopenableLogIsAnErrorNotAChildWritingNowhere) {
    EXPECT_THROW(Spawn({"/bin/true"}, "/nonexistent-dir/x.log"), std::runtime_error);
}

}  // namespace
}  // namespace amends::testing
