#pragma once
// ApiTest with a real SMTP server (aiosmtpd) and the outbox worker delivering to it, for tests of email.

#include <unistd.h>

#include <functional>
#include <cctype>
#include <thread>

#include "tests/integration/api_fixture.h"
#include "tests/support/smtp_sink.h"

namespace amends::testing {

using nlohmann::json;

class MailTest : public ApiTest {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/amends-smtp-XXXXXX";
        sink_dir_ = ::mkdtemp(pattern);
        sink_.emplace(sink_dir_);
        smtp_url_ = sink_->Url();
        outbox_options_.interval = std::chrono::milliseconds(20);
        ApiTest::SetUp();
    }
    void TearDown() override {
        ApiTest::TearDown();
        sink_.reset();
        std::filesystem::remove_all(sink_dir_);
    }

    std::string OpenCase(const std::string& name, const std::string& email, const std::string& subject) {
        auto reply = Post("/api/v1/cases", {{"customer", {{"name", name}, {"email", email}}},
                                            {"subject", subject},
                                            {"category", "delivery"},
                                            {"severity", "high"}});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return std::to_string(Json(reply)["id"].get<Id>());
    }
    json Reply(const std::string& id, const json& body) {
        auto reply = Post("/api/v1/cases/" + id + "/messages", body);
        EXPECT_EQ(reply.status, 201) << reply.body;
        return Json(reply);
    }
    // The message as the API shows it now.
    json MessageNow(const std::string& case_id, Id message_id) {
        auto page = Json(Get("/api/v1/cases/" + case_id + "/messages?limit=200"));
        for (auto& m : page["data"])
            if (m["id"] == message_id) return m;
        return json();
    }
    // Polls until `done` holds for the message's delivery (at most 60 s).
    json WaitForDelivery(const std::string& case_id, Id message_id, const std::function<bool(const json&)>& done) {
        json m;
        for (int i = 0; i < 3000; ++i) {
            m = MessageNow(case_id, message_id);
            if (m["delivery"].is_object() && done(m["delivery"])) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return m;
    }
    store::OutboxCounts Counts() {
        store::OutboxCounts c;
        store_->Read([&](store::Tx& tx) { c = tx.CountOutbox(); });
        return c;
    }
    // Waits (at most 60 s) until nothing is left to deliver, so that a count of what arrived is final: a late
    // duplicate would be in it.
    void WaitUntilDelivered(int seconds = 60) {
        WaitUntilQueued(seconds);
        for (int i = 0; i < seconds * 50 && Counts().pending > 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_EQ(Counts().pending, 0);
    }
    // Waits until every incident update's notices are queued (the fan-out runs after the update is committed).
    void WaitUntilQueued(int seconds = 60) {
        auto open = [&] {
            std::size_t n = 0;
            store_->Read([&](store::Tx& tx) { n = tx.OpenFanoutJobs().size(); });
            return n;
        };
        for (int i = 0; i < seconds * 50 && open() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_EQ(open(), 0u);
    }
    // The path of the case page link in an email's body.
    std::string LinkPath(const json& mail) {
        std::string body = mail["body"];
        std::string origin = "http://127.0.0.1:" + std::to_string(port_);
        auto at = body.find(origin + "/c/");
        if (at == std::string::npos) return "";
        auto start = at + origin.size(), end = start + 3;
        while (end < body.size() && (std::isalnum(static_cast<unsigned char>(body[end])) || body[end] == '_' || body[end] == '-'))
            ++end;
        return body.substr(start, end - start);
    }
    HttpReply Public(const std::string& method, const std::string& path, const std::string& body = "") {
        return Call(method, path, body, {{"Authorization", "-"}});
    }

    std::filesystem::path sink_dir_;
    std::optional<SmtpSink> sink_;
};

}  // namespace amends::testing
