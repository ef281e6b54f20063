// The amends command line as a script uses it: exit codes and the last line of output.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <cstdlib>
#include <chrono>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace amends::testing {
namespace {

using Run = ShellRun;

std::string AmendsBinary() {
    const char* env = std::getenv("AMENDS_BINARY");
    return env ? env : AMENDS_BINARY_PATH;
}

// Removes a SQLite database file with its WAL and shared-memory files.
void RemoveDatabase(const std::string& db) {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
}

Run Amends(const std::string& args, const std::string& stdin_text = "") {
    std::string binary = AmendsBinary();
    char input[] = "/tmp/amends-cli-in-XXXXXX";
    int fd = ::mkstemp(input);
    ::write(fd, stdin_text.data(), stdin_text.size());
    ::close(fd);
    Run run = RunShell(binary + " " + args + " < " + input);
    std::filesystem::remove(input);
    return run;
}

TEST(Cli, CoachExitCodesFollowTheVerdict) {
    EXPECT_EQ(Amends("coach -", "That can't happen, you must have misused it.").exit_code, 2);
    auto good = Amends("coach -",
                       "I'm so sorry we sent the wrong item, that was our mistake. A replacement leaves today and "
                       "arrives by Friday, and I've refunded the shipping. Thank you for your patience; reply if "
                       "anything else is wrong.");
    EXPECT_EQ(good.exit_code, 0) << good.out;
    auto json = Amends("coach --json -", "Mistakes were made.");
    EXPECT_NE(json.out.find("\"verdict\""), std::string::npos) << json.out;
    EXPECT_NE(json.exit_code, 0);
}

TEST(Cli, CoachEvalPrintsATableForALabelledSet) {
    char path[] = "/tmp/amends-eval-XXXXXX";
    int fd = ::mkstemp(path);
    std::string jsonl =
        "{\"text\": \"I'm sorry we got this wrong.\", \"labels\": {\"apology\": true}}\n"
        "{\"text\": \"Thanks for waiting.\", \"labels\": {\"apology\": false, \"thanks\": true}}\n";
    ::write(fd, jsonl.data(), jsonl.size());
    ::close(fd);
    auto run = Amends(std::string("coach --eval ") + path);
    std::filesystem::remove(path);
    EXPECT_EQ(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find("apology"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("F1"), std::string::npos) << run.out;
    EXPECT_EQ(Amends("coach --eval /nonexistent.jsonl").exit_code, 66);
}

TEST(Cli, WrongCommandLinesExit64AndFailuresExit1) {
    EXPECT_EQ(Amends("").exit_code, 64);
    EXPECT_EQ(Amends("frobnicate").exit_code, 64);
    EXPECT_EQ(Amends("user add bob --role boss --db /tmp/amends-cli-unused.db").exit_code, 64);
    EXPECT_EQ(Amends("coach --step dance -", "hi").exit_code, 64);
    auto unopenable = Amends("migrate --db /nonexistent-dir/amends.db");
    EXPECT_EQ(unopenable.exit_code, 1);
    EXPECT_NE(unopenable.out.find("/nonexistent-dir/amends.db"), std::string::npos) << unopenable.out;
}

TEST(Cli, BadMailSettingsExit64AndNameTheSetting) {
    std::string config = "/tmp/amends-cli-mail-" + std::to_string(::getpid()) + ".toml";
    auto with = [&](const std::string& text) {
        std::ofstream(config) << text;
        return Amends("serve --config " + config + " --db /tmp/amends-cli-unused.db --listen 127.0.0.1:0");
    };
    auto scheme = with("[smtp]\nurl = \"http://127.0.0.1:25\"\n");
    EXPECT_EQ(scheme.exit_code, 64);
    EXPECT_NE(scheme.out.find("smtp.url"), std::string::npos) << scheme.out;
    auto from = with("[smtp]\nurl = \"smtp://127.0.0.1:25\"\nfrom = \"Support\"\n");
    EXPECT_EQ(from.exit_code, 64);
    EXPECT_NE(from.out.find("smtp.from"), std::string::npos) << from.out;
    auto attempts = with("[outbox]\nmax_attempts = 0\n");
    EXPECT_EQ(attempts.exit_code, 64);
    EXPECT_NE(attempts.out.find("outbox.max_attempts"), std::string::npos) << attempts.out;
    auto url = with("public_url = \"example.com\"\n");
    EXPECT_EQ(url.exit_code, 64);
    EXPECT_NE(url.out.find("public_url"), std::string::npos) << url.out;
    auto address = with("[mail]\naddress = \"support\"\n");
    EXPECT_EQ(address.exit_code, 64);
    EXPECT_NE(address.out.find("mail.address"), std::string::npos) << address.out;
    auto plus = with("[mail]\naddress = \"support+x@acme.test\"\n");
    EXPECT_EQ(plus.exit_code, 64);
    EXPECT_NE(plus.out.find("mail.address"), std::string::npos) << plus.out;
    auto unknown = with("[mail]\nadress = \"support@acme.test\"\n");
    EXPECT_EQ(unknown.exit_code, 64);
    EXPECT_NE(unknown.out.find("mail.adress"), std::string::npos) << unknown.out;
    auto lmtp = Amends("serve --lmtp nowhere --db /tmp/amends-cli-unused.db --listen 127.0.0.1:0");
    EXPECT_EQ(lmtp.exit_code, 64);
    EXPECT_NE(lmtp.out.find("--lmtp"), std::string::npos) << lmtp.out;
    auto flag = Amends("serve --smtp example.com:25 --db /tmp/amends-cli-unused.db --listen 127.0.0.1:0");
    EXPECT_EQ(flag.exit_code, 64);
    EXPECT_NE(flag.out.find("--smtp"), std::string::npos) << flag.out;
    std::filesystem::remove(config);
}

TEST(Cli, IncidentCommandsReadTheServersConfig) {
    std::string base = "/tmp/amends-cli-incident-" + std::to_string(::getpid());
    std::string config = base + ".toml", db = base + ".db";
    std::ofstream(config) << "db = \"" << db << "\"\npublic_url = \"https://help.acme.test\"\n"
                          << "[smtp]\nurl = \"smtp://127.0.0.1:2525\"\nfrom = \"Acme Support <help@acme.test>\"\n";
    auto declared = Amends("incident declare --config " + config + " --no-progress --next-update 1h --name 'Checkout failing' "
                           "--body \"We're sorry: a change we made broke checkout, and we're rolling it back.\"");
    EXPECT_EQ(declared.exit_code, 0) << declared.out;
    auto listed = Amends("incident list --db " + db);
    EXPECT_EQ(listed.exit_code, 0) << listed.out;
    EXPECT_NE(listed.out.find("Checkout failing"), std::string::npos) << "declared in the config's db: " << listed.out;
    std::ofstream(config) << "public_url = \"help.acme.test\"\n";
    auto bad = Amends("incident declare --config " + config + " --name X --body Y");
    EXPECT_EQ(bad.exit_code, 64) << bad.out;
    EXPECT_NE(bad.out.find("public_url"), std::string::npos) << bad.out;
    RemoveDatabase(db);
    std::filesystem::remove(config);
}

// The config example in the README loads as printed. Regression: it had public_url under [scheduler] (an unknown
// key there) and named policy and playbook files that a reader does not have.
TEST(Cli, TheReadmesConfigExampleLoadsAsPrinted) {
    std::ifstream readme(std::string(AMENDS_SOURCE_DIR) + "/README.md");
    std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
    auto intro = text.find("A config file is TOML");
    ASSERT_NE(intro, std::string::npos);
    auto open = text.find("```toml\n", intro);
    ASSERT_NE(open, std::string::npos);
    open += 8;
    auto close = text.find("```", open);
    ASSERT_NE(close, std::string::npos);
    std::string example = text.substr(open, close - open);
    ASSERT_NE(example.find("[smtp]"), std::string::npos) << "the whole example, not a fragment";

    std::filesystem::path dir = "/tmp/amends-cli-readme-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "amends.toml") << example;
    // The credit reads the config (db, policy) before it looks for the incident: a config error would be said first.
    auto run = Amends("incident credit nosuch --no-progress --config " + (dir / "amends.toml").string() +
                      " --db " + (dir / "amends.db").string());
    EXPECT_EQ(run.exit_code, 64) << run.out;
    EXPECT_NE(run.out.find("no incident nosuch"), std::string::npos) << "the config loaded: " << run.out;
    std::filesystem::remove_all(dir);
}

TEST(Cli, SmtpWithoutAUrlIsValidAndOnlyQueuesMail) {
    // An [smtp] section with a sender and no server (or url = ""): mail is queued, not sent, and the commands that
    // read the server's config take the domain of `from`. A url that is there is still checked (see above).
    std::string base = "/tmp/amends-cli-nourl-" + std::to_string(::getpid());
    std::string config = base + ".toml", db = base + ".db";
    for (std::string url_line : {"", "url = \"\"\n"}) {
        std::ofstream(config) << "db = \"" << db << "\"\n[smtp]\n" << url_line
                              << "from = \"Acme Support <support@acme.test>\"\n";
        auto declared = Amends("incident declare --config " + config +
                               " --no-progress --next-update 1h --name 'Checkout failing' --body "
                               "\"We're sorry: a change we made broke checkout, and we're rolling it back.\"");
        EXPECT_EQ(declared.exit_code, 0) << "[smtp] " << url_line << declared.out;
        EXPECT_EQ(declared.out.find("smtp.url"), std::string::npos) << declared.out;
    }
    RemoveDatabase(db);
    std::filesystem::remove(config);
}

TEST(Cli, UserAddPrintsTheTokenAloneOnTheLastLine) {
    std::string db = "/tmp/amends-cli-" + std::to_string(::getpid()) + ".db";
    auto run = Amends("user add alice --role manager --db " + db);
    RemoveDatabase(db);
    ASSERT_EQ(run.exit_code, 0) << run.out;
    auto trimmed = run.out.substr(0, run.out.find_last_not_of('\n') + 1);
    auto last = trimmed.substr(trimmed.rfind('\n') + 1);
    EXPECT_EQ(last.rfind("amd_", 0), 0u) << run.out;
    EXPECT_EQ(last.find(' '), std::string::npos);
}

TEST(Cli, UnknownUserExits65ForTokenAndPassword) {
    std::string db = "/tmp/amends-cli-nobody-" + std::to_string(::getpid()) + ".db";
    ASSERT_EQ(Amends("user add alice --role agent --db " + db).exit_code, 0);
    auto token = Amends("user token nobody --db " + db);
    EXPECT_EQ(token.exit_code, 65) << token.out;
    EXPECT_NE(token.out.find("no user named nobody"), std::string::npos) << token.out;
    auto password = Amends("user password nobody --db " + db, "correct horse battery staple\n");
    EXPECT_EQ(password.exit_code, 65) << password.out;
    EXPECT_NE(password.out.find("no user named nobody"), std::string::npos) << password.out;
    EXPECT_EQ(Amends("user token alice --db " + db).exit_code, 0) << "a user that exists still gets a token";
    RemoveDatabase(db);
}

TEST(Cli, ServeOnATakenAddressFailsBeforeWritingADemoToken) {
    // Something else listens on the port first.
    int taken = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(taken, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(taken, 1), 0);
    socklen_t length = sizeof address;
    ::getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length);
    std::string listen = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    std::string db = "/tmp/amends-cli-taken-" + std::to_string(::getpid()) + ".db";

    auto run = Amends("serve --demo --db " + db + " --listen " + listen);
    ::close(taken);
    EXPECT_EQ(run.exit_code, 1) << run.out;
    EXPECT_NE(run.out.find("cannot listen on " + listen), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("amd_"), std::string::npos) << "no token printed: " << run.out;
    EXPECT_EQ(run.out.find("console:"), std::string::npos) << run.out;
    EXPECT_EQ(Amends("user token demo --db " + db).exit_code, 65) << "no demo user was written";
    RemoveDatabase(db);
}

// Starts `amends serve --demo`, waits until it answers, and returns the demo admin token it printed.
std::string StartDemo(const std::string& db, std::uint16_t port, const std::string& log, pid_t& server) {
    server = Spawn({AmendsBinary(), "serve", "--demo", "--db", db, "--listen", "127.0.0.1:" + std::to_string(port)}, log);
    if (!WaitForServer(port, 600)) return "";
    std::ifstream in(log);
    std::string line, token;
    while (std::getline(in, line))
        if (line.rfind("amd_", 0) == 0) token = line;
    return token;
}

TEST(Cli, EachDemoStartRevokesTheDemoTokensOfEarlierStarts) {
    std::string base = "/tmp/amends-cli-demo-" + std::to_string(::getpid());
    std::string db = base + ".db";
    std::uint16_t port = FreePort();
    auto status = [&](const std::string& token) {
        return HttpClient(port).Send("GET", "/api/v1/me", "", {{"Authorization", "Bearer " + token}}).status;
    };
    pid_t server = -1;
    std::string first = StartDemo(db, port, base + "-1.log", server);
    ASSERT_FALSE(first.empty()) << "no token printed at the first start";
    EXPECT_EQ(status(first), 200);
    StopChild(server, SIGTERM);

    std::string second = StartDemo(db, port, base + "-2.log", server);
    ASSERT_FALSE(second.empty()) << "no token printed at the second start";
    EXPECT_NE(second, first);
    EXPECT_EQ(status(second), 200) << "the newest demo token works";
    EXPECT_EQ(status(first), 401) << "the previous start's demo token is revoked";
    auto login = HttpClient(port).Send("POST", "/console/sign-in", "name=demo&password=amends-demo",
                                       {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(login.status, 303) << "the demo password still signs in: " << login.body;
    StopChild(server, SIGTERM);
    RemoveDatabase(db);
    for (auto log : {"-1.log", "-2.log"}) std::filesystem::remove(base + log);
}

// Regression: with --listen 127.0.0.1:0 (any free port) the links in emails and the console's address named port 0;
// they name the port the system chose.
TEST(Cli, ServeOnPortZeroLinksToThePortItGot) {
    std::string base = "/tmp/amends-cli-port0-" + std::to_string(::getpid());
    std::string db = base + ".db", log = base + ".log";
    pid_t server = Spawn({AmendsBinary(), "serve", "--demo", "--db", db, "--listen", "127.0.0.1:0"}, log);
    std::string console;
    for (int i = 0; i < 600 && console.empty(); ++i) {
        std::ifstream in(log);
        for (std::string line; std::getline(in, line);)
            if (auto at = line.find("http://127.0.0.1:"); at != std::string::npos && line.find("/console") != std::string::npos)
                console = line.substr(at);
        if (console.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(console.empty()) << "no console address printed";
    int port = std::atoi(console.c_str() + std::string("http://127.0.0.1:").size());
    EXPECT_GT(port, 0) << console;
    if (port > 0) {
        ASSERT_TRUE(WaitForServer(static_cast<std::uint16_t>(port), 600));
        EXPECT_EQ(HttpClient(static_cast<std::uint16_t>(port)).Send("GET", "/healthz").status, 200) << console;
    }
    StopChild(server, SIGTERM);
    RemoveDatabase(db);
    std::filesystem::remove(log);
}

// A database with one incident declared by the CLI; its id.
std::string DeclareIncident(const std::string& db) {
    auto declared = Amends("incident declare --db " + db + " --no-progress --next-update 1h --name 'Checkout failing' "
                           "--body \"We're sorry: a change we made broke checkout, and we're rolling it back.\"");
    EXPECT_EQ(declared.exit_code, 0) << declared.out;
    auto at = declared.out.find("notices queued");
    EXPECT_NE(at, std::string::npos) << declared.out;
    auto line = declared.out.substr(0, at);
    line = line.substr(line.rfind('\n') == std::string::npos ? 0 : line.rfind('\n') + 1);
    return line.substr(0, line.find(' '));
}

// Regression: a CSV row naming no customer exited 1 with "lines up to 2: ... (customers[0].customer_id)"; it is bad
// data (exit 65) and the message names its line. The batch it was in is not written.
TEST(Cli, IncidentAffectedNamesTheCsvLineOfAnUnknownCustomer) {
    std::string base = "/tmp/amends-cli-affected-" + std::to_string(::getpid());
    std::string db = base + ".db", csv = base + ".csv";
    std::string id = DeclareIncident(db);
    ASSERT_FALSE(id.empty());
    // Writes `text` as the CSV file and attaches it.
    auto attach = [&](const std::string& text) {
        std::ofstream(csv) << text;
        return Amends("incident affected --db " + db + " --no-progress " + id + " " + csv);
    };
    auto unknown = attach("customer_id\n999\n");
    EXPECT_EQ(unknown.exit_code, 65) << unknown.out;
    EXPECT_EQ(unknown.out, "amends: line 2: no customer 999\n");

    auto known = attach("email,name\nada@example.com,Ada\n");
    ASSERT_EQ(known.exit_code, 0) << known.out;
    auto later = attach("customer_id,order\n1,A-1\n\n999,A-2\n");  // a blank line counts as a line
    EXPECT_EQ(later.exit_code, 65) << later.out;
    EXPECT_EQ(later.out, "amends: line 4: no customer 999\n");
    // Regression: records were counted, not lines, so a quoted field holding a line break made every later line
    // number one too low.
    auto multiline = attach("customer_id,note\n1,\"two\nlines\"\n999,x\n");
    EXPECT_EQ(multiline.exit_code, 65) << multiline.out;
    EXPECT_EQ(multiline.out, "amends: line 4: no customer 999\n");
    auto fields = attach("customer_id,note\n1,\"a\nb\nc\"\n1,x,y\n");
    EXPECT_EQ(fields.exit_code, 65) << fields.out;
    EXPECT_EQ(fields.out.rfind("amends: line 5: ", 0), 0u) << fields.out;
    auto bad_email = attach("email\nnot-an-address\n");
    EXPECT_EQ(bad_email.exit_code, 65) << bad_email.out;
    EXPECT_EQ(bad_email.out.rfind("amends: line 2: ", 0), 0u) << bad_email.out;
    auto listed = Amends("incident list --db " + db);
    EXPECT_NE(listed.out.find(" 1 affected"), std::string::npos) << "only Ada: " << listed.out;
    RemoveDatabase(db);
    std::filesystem::remove(csv);
}

// Regression: declaring printed its progress line twice, joined by a carriage return, on a stderr that is no
// terminal; it is one line, ended by a newline.
TEST(Cli, IncidentDeclarePrintsOneProgressLine) {
    std::string db = "/tmp/amends-cli-progress-" + std::to_string(::getpid()) + ".db";
    auto stderr_only = RunShell("(" + AmendsBinary() + " incident declare --db " + db + " --next-update 1h --name "
                                "'Checkout failing' --body \"We're sorry: a change we made broke checkout.\" "
                                "> /dev/null < /dev/null)");
    RemoveDatabase(db);
    EXPECT_EQ(stderr_only.exit_code, 0) << stderr_only.out;
    EXPECT_EQ(stderr_only.out, "notices: 0 of 0 customers\n");
}

}  // namespace
}  // namespace amends::testing
