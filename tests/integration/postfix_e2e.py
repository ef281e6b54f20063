#!/usr/bin/python3
"""End to end through a real Postfix (Debian's postfix 3.7) and swaks, both from Debian.

A private Postfix instance runs on 127.0.0.1 (its own config, queue and data directories in a temp dir, started
with `postfix -c DIR start`; no systemd). Mail for acme.test goes to amends' LMTP listener (transport
lmtp:inet:127.0.0.1:PORT), mail for pipe.acme.test to `amends mail-in` through a pipe transport (as rt-mailgate is
run), and everything else is relayed to an aiosmtpd sink (relayhost), which stands for the customer's mail server.
amends sends its own mail through Postfix too.

The story: swaks sends Maya's complaint to Postfix; a case opens in amends; an agent's acknowledgement (through the
API) leaves amends, passes Postfix and reaches the sink with a signed plus-address as Reply-To, threading headers
and a text and an HTML part; Maya's reply to that plus-address (no In-Reply-To) lands on the same case, and so does
her reply with only In-Reply-To; a forged plus-address opens a case of its own; and a complaint through the pipe
transport is filed by `amends mail-in` with the envelope recipient.

Usage: postfix_e2e.py --amends BUILD/amends --source SOURCE_DIR
Exit 0 passed, 1 failed, 77 skipped (no postfix or swaks, or not root: Postfix's master must start as root).
"""
import argparse
import email
import email.policy
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STARTED = time.monotonic()


def wait_for(what, check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            print("%5.1f s  %s" % (time.monotonic() - STARTED, what))
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Api:
    def __init__(self, port, token):
        self.base = "http://127.0.0.1:%d" % port
        self.token = token

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self.token})
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())


MASTER_CF = """\
127.0.0.1:{smtp_port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
amends    unix  -       n       n       -       -       pipe
  flags=Rq user=nobody argv={amends} mail-in --url http://127.0.0.1:{http_port} --token {token} --recipient ${{original_recipient}}
"""

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {dir}/queue
data_directory = {dir}/data
maillog_file = {dir}/maillog
maillog_file_prefixes = {dir}
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.acme.test
mydomain = acme.test
myorigin = acme.test
mydestination =
mynetworks = 127.0.0.0/8
relay_domains = acme.test, pipe.acme.test
transport_maps = inline:{{ acme.test=lmtp:inet:127.0.0.1:{lmtp_port}, pipe.acme.test=amends: }}
amends_destination_recipient_limit = 1
relayhost = [127.0.0.1]:{sink_port}
smtp_tls_security_level = none
smtpd_tls_security_level = none
lmtp_tls_security_level = none
smtputf8_enable = no
biff = no
recipient_delimiter = +
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
alias_maps =
alias_database =
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--amends", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    for tool in ("postfix", "swaks"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            print("skipped: %s is not installed (scripts/deps/mailin.txt)" % tool)
            return SKIP
    if os.geteuid() != 0:
        print("skipped: Postfix's master must start as root")
        return SKIP
    postfix = shutil.which("postfix") or "/usr/sbin/postfix"

    work = tempfile.mkdtemp(prefix="amends-postfix-")
    os.chmod(work, 0o755)
    children = []
    postfix_dir = os.path.join(work, "postfix")
    started_postfix = False
    ok = False
    try:
        http_port, lmtp_port, smtp_port, sink_port = free_port(), free_port(), free_port(), free_port()
        sink_dir = os.path.join(work, "sink")
        os.makedirs(sink_dir)
        children.append(subprocess.Popen(
            ["/usr/bin/python3", os.path.join(args.source, "tests/support/smtp_sink.py"), sink_dir, str(sink_port)],
            stdout=open(os.path.join(work, "sink.log"), "w"), stderr=subprocess.STDOUT))
        wait_for("the SMTP sink", lambda: os.path.exists(os.path.join(sink_dir, "ready")))

        db = os.path.join(work, "amends.db")
        added = subprocess.run([args.amends, "user", "add", "agent", "--role", "admin", "--db", db],
                               capture_output=True, text=True, check=True)
        token = added.stdout.strip().splitlines()[-1]
        config = os.path.join(work, "amends.toml")
        with open(config, "w") as f:
            f.write('db = "%s"\nlisten = "127.0.0.1:%d"\n' % (db, http_port))
            f.write('[smtp]\nurl = "smtp://127.0.0.1:%d"\nfrom = "Acme Support <support@acme.test>"\n' % smtp_port)
            f.write('[mail]\naddress = "support@acme.test"\nlmtp = "127.0.0.1:%d"\n' % lmtp_port)
            f.write('[outbox]\ninterval_ms = 100\nfirst_backoff_ms = 200\n')
            f.write('[http]\naccess_log = false\n')
        children.append(subprocess.Popen([args.amends, "serve", "--config", config],
                                         stdout=open(os.path.join(work, "amends.log"), "w"),
                                         stderr=subprocess.STDOUT))
        wait_for("amends' HTTP port", lambda: listening(http_port))
        wait_for("amends' LMTP port", lambda: listening(lmtp_port))
        api = Api(http_port, token)

        os.makedirs(os.path.join(postfix_dir, "etc"))
        for sub in ("queue", "data"):
            os.makedirs(os.path.join(postfix_dir, sub))
        shutil.chown(os.path.join(postfix_dir, "data"), "postfix")
        with open(os.path.join(postfix_dir, "etc", "main.cf"), "w") as f:
            f.write(MAIN_CF.format(dir=postfix_dir, lmtp_port=lmtp_port, sink_port=sink_port))
        with open(os.path.join(postfix_dir, "etc", "master.cf"), "w") as f:
            f.write(MASTER_CF.format(smtp_port=smtp_port, amends=os.path.abspath(args.amends), http_port=http_port,
                                     token=token))
        etc = os.path.join(postfix_dir, "etc")
        t = time.monotonic()
        started = subprocess.run([postfix, "-c", etc, "start"], capture_output=True, text=True)  # checks first
        if started.returncode != 0:
            raise AssertionError("postfix start failed: " + started.stdout + started.stderr)
        print("%5.1f s  postfix start returned after %.1f s" % (time.monotonic() - STARTED, time.monotonic() - t))
        started_postfix = True
        wait_for("Postfix's SMTP port", lambda: listening(smtp_port))

        def swaks(to, subject, body, message_id, extra=()):
            command = ["swaks", "--server", "127.0.0.1:%d" % smtp_port, "--from", "maya.patel@example.com",
                       "--to", to, "--helo", "client.example.com",
                       "--header", "From: Maya Patel <maya.patel@example.com>",
                       "--header", "Subject: " + subject, "--header", "Message-ID: <%s>" % message_id,
                       "--body", body, "--silent", "2"]
            for header in extra:
                command += ["--header", header]
            subprocess.run(command, check=True, capture_output=True, timeout=30)

        # 1. The complaint, through Postfix, over LMTP, opens a case.
        swaks("support@acme.test", "My order never arrived",
              "Order 1207 was due on Friday and it never came.", "complaint-1@example.com")
        cases = wait_for("the complaint's case", lambda: api.call("GET", "/api/v1/cases")["data"])
        assert len(cases) == 1, cases
        case = cases[0]
        assert case["subject"] == "My order never arrived", case
        assert case["channel"] == "email", case
        case_id = case["id"]
        print("complaint filed: case", case_id)

        # 2. The acknowledgement goes out through Postfix to the customer's server (the sink).
        api.call("POST", "/api/v1/cases/%d/messages" % case_id,
                 {"body": "I'm so sorry your order hasn't arrived, Maya; that is our mistake. I'm tracing it now "
                          "and will write again by 3 pm today."})
        records = wait_for("the acknowledgement at the sink",
                           lambda: [json.load(open(p)) for p in sorted(glob.glob(os.path.join(sink_dir, "*.json")))])
        ack = records[0]
        assert ack["rcpt_tos"] == ["maya.patel@example.com"], ack["rcpt_tos"]
        message = email.message_from_string(ack["raw"], policy=email.policy.default)
        reply_to = str(message["Reply-To"])
        assert reply_to.startswith("support+c%d." % case_id) and reply_to.endswith("@acme.test"), reply_to
        # Threaded under Maya's complaint in her mail program, and under the case's root for ours.
        assert str(message["In-Reply-To"]) == "<complaint-1@example.com>", message["In-Reply-To"]
        assert str(message["References"]).split() == ["<case-%d@acme.test>" % case_id, "<complaint-1@example.com>"], \
            message["References"]
        assert message.get_content_type() == "multipart/alternative", message.get_content_type()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "that is our mistake" in html and "<a href=" in html, html
        assert "Received" in message and "mx.acme.test" in str(message.get_all("Received")), "it passed Postfix"
        ack_id = str(message["Message-ID"]).strip("<>")
        print("acknowledgement delivered with Reply-To", reply_to)

        # 3. Maya answers the plus-address from a client that drops In-Reply-To: the same case.
        swaks(reply_to, "Re: My order never arrived", "Thank you. Please leave it with my neighbour at 14.",
              "reply-1@example.com")

        def messages():
            return api.call("GET", "/api/v1/cases/%d/messages" % case_id)["data"]
        wait_for("the reply by plus-address", lambda: len(messages()) >= 3)
        assert messages()[2]["body"].startswith("Thank you. Please leave it"), messages()[2]

        # 4. ... and with In-Reply-To only, to the bare address.
        swaks("support@acme.test", "Re: My order never arrived", "It has arrived now, thanks.", "reply-2@example.com",
              extra=["In-Reply-To: <%s>" % ack_id, "References: <%s>" % ack_id])
        wait_for("the reply by In-Reply-To", lambda: len(messages()) >= 4)
        assert messages()[3]["body"] == "It has arrived now, thanks.", messages()[3]

        # 5. A forged plus-address threads nothing: a case of its own.
        forged = "support+c%d.aaaaaaaaaa@acme.test" % case_id
        swaks(forged, "Let me in", "Someone else's case, please.", "forged-1@example.com")
        wait_for("the forged message's case", lambda: len(api.call("GET", "/api/v1/cases")["data"]) >= 2)
        assert len(messages()) == 4

        # 6. The pipe transport: Postfix runs `amends mail-in` with the envelope recipient.
        swaks("complaints@pipe.acme.test", "Wrong colour sofa", "You delivered a red sofa; I ordered grey.",
              "pipe-1@example.com")
        def by_pipe():
            return [c for c in api.call("GET", "/api/v1/cases")["data"] if c["subject"] == "Wrong colour sofa"]
        wait_for("the case filed by mail-in", by_pipe)
        assert len(api.call("GET", "/api/v1/cases")["data"]) == 3
        print("all steps passed")
        ok = True
    except Exception as e:  # noqa: BLE001 - the report below says what failed
        print("FAILED:", repr(e))
        for name in ("amends.log", "sink.log", "postfix/maillog"):
            path = os.path.join(work, name)
            if os.path.exists(path):
                print("----", name)
                print(open(path, errors="replace").read()[-4000:])
    finally:
        if started_postfix:
            subprocess.run([postfix, "-c", os.path.join(postfix_dir, "etc"), "stop"], capture_output=True)
        for child in reversed(children):
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
