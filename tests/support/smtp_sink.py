#!/usr/bin/python3
"""A real SMTP server for amends' tests (aiosmtpd, from Debian's python3-aiosmtpd).

Usage: smtp_sink.py DIR PORT [--light]

Each message accepted is written to DIR/NNNNNN.json: the envelope, the raw bytes, and the parts a test checks as
Python's email package decodes them (an independent reader of what amends composed). While DIR/refuse exists,
DATA is answered 451 (try again later); a recipient at @refused.test is answered 550 (no such mailbox).
DIR/ready holds the port once the server listens. When DIR/tls.crt and DIR/tls.key exist at start, the server offers
STARTTLS with them and requires it; when DIR/auth holds "user:password", it requires AUTH (PLAIN or LOGIN, only
after STARTTLS) with those, and records the user as auth_user. With --light (tests of many thousands of messages) a record holds
only the envelope, Subject, Message-ID and the raw body.
"""
import asyncio
import email
import email.parser
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, light):
        self.directory = directory
        self.light = light
        self.count = len([n for n in os.listdir(directory) if n.endswith(".json")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.test"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.directory, "refuse")):
            return "451 4.3.0 Try again later"
        raw = envelope.original_content or envelope.content
        if self.light:
            # Many thousands of messages: the envelope, the headers a count needs, and the raw body, unparsed.
            head, _, body = raw.partition(b"\r\n\r\n")
            headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(head + b"\r\n\r\n")
            record = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "subject": str(headers["Subject"]),
                "message_id": str(headers["Message-ID"]),
                "body": body.decode("utf-8", "replace"),
            }
            return self.write(record)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "date": str(message["Date"]),
            "message_id": str(message["Message-ID"]),
            "in_reply_to": str(message["In-Reply-To"]),
            "references": str(message["References"]),
            "content_type": message.get_content_type(),
            "charset": part.get_content_charset() if part is not None else message.get_content_charset(),
            "body": part.get_content().replace("\r\n", "\n") if part is not None else "",
            "html": html.get_content().replace("\r\n", "\n") if html is not None else "",
            "reply_to": str(message["Reply-To"] or ""),
            "list_unsubscribe": str(message["List-Unsubscribe"] or ""),
            "list_unsubscribe_post": str(message["List-Unsubscribe-Post"] or ""),
            "raw": raw.decode("utf-8", "replace"),
            "auth_user": session.auth_data if session.authenticated else None,
            "tls": session.ssl is not None,
        }
        return self.write(record)

    def write(self, record):
        self.count += 1
        name = os.path.join(self.directory, "%06d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name)
        return "250 OK"


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    light = len(sys.argv) > 3 and sys.argv[3] == "--light"
    options = {}
    crt, key = os.path.join(directory, "tls.crt"), os.path.join(directory, "tls.key")
    if os.path.exists(crt) and os.path.exists(key):
        import ssl
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(crt, key)
        options.update(tls_context=context, require_starttls=True)
    auth = os.path.join(directory, "auth")
    if os.path.exists(auth):
        from aiosmtpd.smtp import AuthResult
        with open(auth) as f:
            wanted_user, _, wanted_password = f.read().strip().partition(":")

        def authenticator(server, session, envelope, mechanism, data):
            ok = data.login.decode() == wanted_user and data.password.decode() == wanted_password
            return AuthResult(success=ok, auth_data=wanted_user if ok else None)
        options.update(auth_required=True, auth_require_tls=True, authenticator=authenticator)
    controller = Controller(Sink(directory, light), hostname="127.0.0.1", port=port, **options)
    controller.start()
    with open(os.path.join(directory, "ready.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(directory, "ready.tmp"), os.path.join(directory, "ready"))
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
