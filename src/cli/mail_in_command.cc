#include "cli/mail_in_command.h"

#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "mailin/parse.h"

namespace amends::cli {

namespace {

constexpr int kExitUsage = 64;
constexpr int kExitData = 65;
constexpr int kExitTempFail = 75;

std::size_t Keep(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

}  // namespace

int MailIn(const MailInFlags& flags) {
    std::string token = flags.token;
    if (token.empty())
        if (const char* env = std::getenv("AMENDS_TOKEN")) token = env;
    if (token.empty()) {
        std::fprintf(stderr, "amends mail-in: give --token or AMENDS_TOKEN\n");
        return kExitUsage;
    }
    if (!flags.url.starts_with("http://") && !flags.url.starts_with("https://")) {
        std::fprintf(stderr, "amends mail-in: --url must be http:// or https://\n");
        return kExitUsage;
    }
    std::string message((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) {
        std::fprintf(stderr, "amends mail-in: could not read the message from standard input\n");
        return kExitTempFail;
    }
    std::string url = flags.url;
    while (url.ends_with('/')) url.pop_back();
    url += "/api/v1/mail";

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* curl = curl_easy_init();
    if (!curl) return kExitTempFail;
    if (!flags.recipients.empty()) {
        std::string all;
        for (const auto& r : flags.recipients) {
            if (r.find('@') == std::string::npos || r.find(',') != std::string::npos) {
                std::fprintf(stderr, "amends mail-in: --recipient %s is not an email address\n", r.c_str());
                curl_easy_cleanup(curl);
                return kExitUsage;
            }
            all += (all.empty() ? "" : ",") + r;
        }
        char* escaped = curl_easy_escape(curl, all.data(), static_cast<int>(all.size()));
        url += std::string("?recipient=") + (escaped ? escaped : "");
        curl_free(escaped);
    }
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    headers = curl_slist_append(headers, "Content-Type: message/rfc822");
    // A large message waits for the server's "go on" (Expect: 100-continue): a server that refuses it for its size
    // answers 413 before the body is sent, instead of closing the connection under a body still being written.
    if (message.size() < (1u << 20)) headers = curl_slist_append(headers, "Expect:");
    std::string answer;
    long status = 0;
    auto post = [&](const std::string& bytes) {
        answer.clear();
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, bytes.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Keep);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(flags.timeout_seconds));
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        CURLcode result = curl_easy_perform(curl);
        status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        return result;
    };
    CURLcode rc = post(message);
    bool refused_size = (rc == CURLE_OK && status == 413) ||
                        ((rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR) && message.size() >= (1u << 20));
    if (refused_size) {
        // Too large for the server whole: the words without the attachments (each named in the email's note on the
        // case), rather than a bounce. Never a lost message.
        if (auto smaller = mailin::WithoutAttachments(message)) {
            std::fprintf(stderr, "amends mail-in: the message is too large (%zu bytes); posting it without its "
                                 "attachments\n", message.size());
            rc = post(*smaller);
        }
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    if (rc != CURLE_OK) {
        std::fprintf(stderr, "amends mail-in: %s: %s (the mail server will retry)\n", url.c_str(), curl_easy_strerror(rc));
        return kExitTempFail;
    }
    auto body = nlohmann::json::parse(answer, nullptr, false);
    if (status >= 200 && status < 300) {
        std::printf("%s%s\n", body.value("action", "filed").c_str(),
                    body.contains("case_id") && body["case_id"].is_number()
                        ? (" case " + std::to_string(body["case_id"].get<long long>())).c_str()
                        : "");
        return 0;
    }
    std::string why = body.is_object() && body.contains("error") ? body["error"].value("message", answer) : answer;
    if (status >= 500 || status == 408 || status == 429 || status == 401 || status == 403) {
        std::fprintf(stderr, "amends mail-in: the server answered %ld: %s (the mail server will retry)\n", status,
                     why.c_str());
        return kExitTempFail;
    }
    std::fprintf(stderr, "amends mail-in: the message cannot be accepted (%ld): %s\n", status, why.c_str());
    return kExitData;
}

}  // namespace amends::cli
