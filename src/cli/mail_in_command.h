#pragma once
// `amends mail-in`: one email on standard input, posted to the server's /api/v1/mail, for a mail server's pipe
// transport or alias (as rt-mailgate does). Exit codes a mail server acts on (sysexits): 0 filed; 75 EX_TEMPFAIL
// when the server cannot be reached, times out, answers 5xx/408/429, or refuses the token (the mail server keeps
// the message and retries); 65 EX_DATAERR only for a message the server can never accept (not an email, too
// large), which the mail server bounces with the reason printed here; 64 bad arguments.

#include <string>
#include <vector>

namespace amends::cli {

struct MailInFlags {
    std::string url = "http://127.0.0.1:8080";
    std::string token;        // or AMENDS_TOKEN in the environment
    int timeout_seconds = 60;
    std::vector<std::string> recipients;  // --recipient: the envelope recipient(s) (Postfix pipe: ${original_recipient})
};

int MailIn(const MailInFlags& flags);

}  // namespace amends::cli
