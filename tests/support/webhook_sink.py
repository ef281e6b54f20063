#!/usr/bin/python3
"""A real HTTP server that receives amends' webhooks in tests (Python's standard library only).

Usage: webhook_sink.py DIR PORT

Each POST is written to DIR/NNNNNN.json as {path, headers (lower-case names), body (text)}. It is answered with the
status in DIR/status when that file exists (e.g. 500 or 410), else 200; a request answered with an error is still
recorded. DIR/ready holds the port once the server listens.
"""
import http.server
import json
import os
import signal
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would
    directory = "."
    lock = threading.Lock()
    count = 0

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        status = 200
        status_file = os.path.join(self.directory, "status")
        if os.path.exists(status_file):
            with open(status_file) as f:
                status = int(f.read().strip() or "200")
        record = {
            "path": self.path,
            "status": status,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        with Handler.lock:
            Handler.count += 1
            name = os.path.join(self.directory, "%06d.json" % Handler.count)
            with open(name + ".tmp", "w", encoding="utf-8") as f:
                json.dump(record, f)
            os.rename(name + ".tmp", name)
        answer = b"ok\n" if status < 300 else b"refused by the test\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, fmt, *args):
        pass


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    Handler.directory = directory
    Handler.count = len([n for n in os.listdir(directory) if n.endswith(".json")])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    with open(os.path.join(directory, "ready.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(directory, "ready.tmp"), os.path.join(directory, "ready"))
    server.serve_forever()


if __name__ == "__main__":
    main()
