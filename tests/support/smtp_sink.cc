#include "tests/support/smtp_sink.h"

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/process.h"

namespace amends::testing {

namespace {

std::string Script() {
    const char* source = std::getenv("AMENDS_SOURCE_DIR");
    return std::string(source ? source : AMENDS_SOURCE_ROOT) + "/tests/support/smtp_sink.py";
}

}  // namespace

SmtpSink::SmtpSink(std::filesystem::path dir, bool light) : dir_(std::move(dir)), light_(light) {
    std::filesystem::create_directories(dir_);
    port_ = FreePort();
    Start();
}

SmtpSink::~SmtpSink() { Stop(); }

void SmtpSink::Start() {
    if (pid_ > 0) return;
    std::filesystem::remove(dir_ / "ready");
    std::vector<std::string> args{"/usr/bin/python3", Script(), dir_.string(), std::to_string(port_)};
    if (light_) args.push_back("--light");
    pid_ = Spawn(args, (dir_ / "sink.log").string());
    for (int i = 0; i < 600 && !std::filesystem::exists(dir_ / "ready"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!std::filesystem::exists(dir_ / "ready"))
        throw std::runtime_error("the SMTP server did not start; see " + (dir_ / "sink.log").string());
}

void SmtpSink::Stop() {
    if (pid_ <= 0) return;
    StopChild(pid_, SIGTERM);
    pid_ = -1;
}

void SmtpSink::Refuse(bool on) {
    if (on)
        std::ofstream(dir_ / "refuse") << "451\n";
    else
        std::filesystem::remove(dir_ / "refuse");
}

std::vector<nlohmann::json> SmtpSink::Messages() const { return ReadJsonRecords(dir_); }

std::size_t SmtpSink::Count() const {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) n += entry.path().extension() == ".json";
    return n;
}

std::vector<nlohmann::json> SmtpSink::WaitFor(std::size_t n, std::chrono::seconds limit) const {
    auto until = std::chrono::steady_clock::now() + limit;
    while (Count() < n && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(n > 1000 ? 200 : 20));
    return Messages();
}

}  // namespace amends::testing
