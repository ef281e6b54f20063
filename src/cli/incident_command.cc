#include "cli/incident_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "app/affected_csv.h"
#include "app/case_links.h"
#include "app/outbound.h"
#include "app/reply_coach.h"
#include "app/status_board.h"
#include "cli/progress_line.h"
#include "store/store.h"

namespace amends::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 64;
constexpr int kExitData = 65;
constexpr int kExitNoInput = 66;
constexpr std::size_t kBatch = 1000;

int Fail(int code, const std::string& message) {
    std::fprintf(stderr, "amends: %s\n", message.c_str());
    return code;
}

// The server's pieces a command needs to act on the status page as the server would.
struct Board {
    std::unique_ptr<store::Store> store;
    std::optional<app::CaseLinks> links;
    std::optional<app::Outbound> outbound;
    std::optional<app::ReplyCoach> coach;  // notices are apologies too: checked as the API checks them
    std::optional<app::StatusBoard> board;
    SystemClock clock;
};

Expected<std::unique_ptr<Board>> OpenBoard(const IncidentFlags& flags) {
    auto b = std::make_unique<Board>();
    auto store = store::OpenSqlite({flags.db});
    if (!store) return std::unexpected(store.error());
    b->store = std::move(*store);
    auto links = app::CaseLinks::Open(*b->store);
    if (!links) return std::unexpected(links.error());
    b->links.emplace(std::move(*links));
    b->outbound.emplace(*b->links, app::MailSettings{flags.public_url, flags.mail_domain, flags.mail_address});
    b->coach.emplace(app::SendPolicy{});
    b->board.emplace(*b->store, b->clock, status::PageInfo{"amends", flags.status_name, flags.public_url}, *b->outbound,
                     &*b->coach);
    if (auto loaded = b->board->Load(); !loaded) return std::unexpected(loaded.error());
    return b;
}

}  // namespace

int IncidentList(const IncidentFlags& flags) {
    auto b = OpenBoard(flags);
    if (!b) return Fail(kExitFailed, b.error().message);
    auto page = (*b)->board->Snapshot();
    std::vector<const status::Incident*> all;
    for (const auto& i : page.incidents) all.push_back(&i);
    for (const auto& i : page.maintenances) all.push_back(&i);
    std::sort(all.begin(), all.end(), [](auto* x, auto* y) { return x->created_at > y->created_at; });
    for (auto* i : all)
        std::printf("%s  %-13s  %-11s  %6lld affected  %s\n", i->id.c_str(), std::string(status::Name(i->status)).c_str(),
                    std::string(status::Name(i->impact)).c_str(),
                    static_cast<long long>((*b)->board->AffectedCount(i->id)), i->name.c_str());
    (*b)->store->Close();
    return 0;
}

int IncidentAffected(const IncidentFlags& flags) {
    std::ifstream file;
    if (flags.file != "-") {
        file.open(flags.file, std::ios::binary);
        if (!file) return Fail(kExitNoInput, "cannot read " + flags.file);
    }
    std::istream& in = flags.file == "-" ? std::cin : file;
    auto opened = OpenBoard(flags);
    if (!opened) return Fail(kExitFailed, opened.error().message);
    Board& b = **opened;
    if (!b.board->IncidentJson(flags.id)) return Fail(kExitUsage, "no incident " + flags.id);

    app::AffectedCsv csv(in);
    if (auto ok = csv.ReadHeader(); !ok) return Fail(kExitData, ok.error().message);
    app::AttachResult total;
    std::vector<app::AffectedInput> batch;
    std::vector<long> lines;  // the CSV line of each row of the batch
    auto start = std::chrono::steady_clock::now();
    ProgressLine progress(flags.progress);
    long line = 1, rows = 0;
    // 0, or the exit code of a batch that failed (65 when a row's data is at fault: its line is named).
    auto flush = [&]() -> int {
        if (batch.empty()) return 0;
        auto done = b.board->Attach(flags.id, batch);
        if (!done) {
            progress.Finish();
            Error e = app::AtCsvLine(done.error(), lines);
            if (e.field == "csv") return Fail(kExitData, e.message);
            return Fail(kExitFailed, "lines up to " + std::to_string(line) + ": " + e.message +
                                         (e.field.empty() ? "" : " (" + e.field + ")"));
        }
        auto counts = nlohmann::json::parse(done->body);
        total.attached += counts["attached"].get<int>();
        total.updated += counts["updated"].get<int>();
        total.notices += counts["notices_queued"].get<int>();
        batch.clear();
        lines.clear();
        progress.Show(std::to_string(rows) + " customers attached" + Rate(rows, start));
        return 0;
    };
    for (;;) {
        auto row = csv.Next();
        line = csv.line();
        if (!row) {
            progress.Finish();
            return Fail(kExitData, row.error().message);
        }
        if (!*row) break;
        batch.push_back(std::move(**row));
        lines.push_back(line);
        ++rows;
        if (batch.size() == kBatch)
            if (int failed = flush()) return failed;
    }
    if (int failed = flush()) return failed;
    progress.Finish();
    std::printf("%ld rows: %d attached, %d already attached (details updated), %d notices queued\n", rows, total.attached,
                total.updated, total.notices);
    b.store->Close();
    return 0;
}

namespace {

// The flag an API field comes from, for error messages.
std::string FlagOf(const std::string& field) {
    static const std::pair<const char*, const char*> kFlags[] = {
        {"name", "--name"},           {"body", "--body"},         {"status", "--status"},
        {"impact", "--impact"},       {"next_update_in", "--next-update"}, {"notice.body", "--notice"},
        {"notice.subject", "--notice"}};
    for (auto [f, flag] : kFlags)
        if (field == f) return flag;
    if (field.starts_with("components")) return "--component";
    return field;
}

int Post(const IncidentFlags& flags, const char* op) {
    nlohmann::json body = nlohmann::json::object();
    if (!flags.name.empty()) body["name"] = flags.name;
    if (!flags.body.empty()) body["body"] = flags.body;
    if (!flags.status.empty()) body["status"] = flags.status;
    if (!flags.impact.empty()) body["impact"] = flags.impact;
    if (!flags.next_update.empty()) body["next_update_in"] = flags.next_update;
    if (!flags.notify) body["deliver_notifications"] = false;
    if (!flags.components.empty()) {
        body["components"] = nlohmann::json::object();
        for (const auto& c : flags.components) {
            auto eq = c.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == c.size())
                return Fail(kExitUsage, "--component " + c + ": give ID=STATUS, e.g. api=major_outage");
            body["components"][c.substr(0, eq)] = c.substr(eq + 1);
        }
    }
    if (!flags.notice_file.empty()) {
        std::ifstream in(flags.notice_file, std::ios::binary);
        if (!in) return Fail(kExitNoInput, "cannot read " + flags.notice_file);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // The first line "Subject: ..." sets the subject; the rest is the body.
        nlohmann::json notice = nlohmann::json::object();
        if (text.starts_with("Subject:")) {
            auto nl = text.find('\n');
            std::string subject = text.substr(8, nl == std::string::npos ? std::string::npos : nl - 8);
            while (!subject.empty() && (subject.front() == ' ')) subject.erase(0, 1);
            while (!subject.empty() && (subject.back() == '\r' || subject.back() == ' ')) subject.pop_back();
            notice["subject"] = subject;
            text = nl == std::string::npos ? "" : text.substr(nl + 1);
            while (text.starts_with("\n") || text.starts_with("\r\n")) text.erase(0, text[0] == '\r' ? 2 : 1);
        }
        notice["body"] = text;
        body["notice"] = notice;
    }
    auto opened = OpenBoard(flags);
    if (!opened) return Fail(kExitFailed, opened.error().message);
    Board& b = **opened;
    std::optional<std::string> target;
    if (!flags.id.empty()) target = flags.id;
    auto done = b.board->Apply(op, target, body);
    if (!done) {
        const Error& e = done.error();
        bool usage = e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kUnprocessable ||
                     e.code == ErrorCode::kNotFound;
        std::string where = e.field.empty() ? "" : FlagOf(e.field) + ": ";
        b.store->Close();
        return Fail(usage ? kExitUsage : kExitFailed, where + e.message);
    }
    auto record = nlohmann::json::parse(done->body);
    std::string id = record.value("id", "");
    auto start = std::chrono::steady_clock::now();
    ProgressLine progress(flags.progress);
    auto queued = b.board->RunFanOut([&](const app::FanOutProgress& p) {
        if (p.incident_id != id) return;
        progress.Show("notices: " + std::to_string(p.done) + " of " + std::to_string(p.total) + " customers" +
                      Rate(p.done, start));
    });
    progress.Finish();
    b.store->Close();
    if (!queued) return Fail(kExitFailed, "the update is posted, but queuing its notices failed (a running server or "
                                          "`amends worker` finishes them): " + queued.error().message);
    std::printf("%s %s: %s, %lld notices queued\n", id.c_str(), record.value("status", "").c_str(),
                record.value("name", "").c_str(), static_cast<long long>(*queued));
    return 0;
}

}  // namespace

int IncidentDeclare(const IncidentFlags& flags) { return Post(flags, "incident.create"); }

int IncidentUpdate(const IncidentFlags& flags) { return Post(flags, "incident.update"); }

}  // namespace amends::cli
