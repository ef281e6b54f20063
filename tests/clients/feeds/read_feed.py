"""Reads a feed from stdin with feedparser (Debian's python3-feedparser), a real feed reader, and prints what it
understood as JSON: its version, whether it had to work around malformed input (bozo), and the feed's and each
entry's fields. Run with /usr/bin/python3."""
import calendar
import json
import sys

import feedparser


def instant(parsed):
    return None if parsed is None else calendar.timegm(parsed)


def main():
    d = feedparser.parse(sys.stdin.buffer.read())
    out = {
        "version": d.version,
        "bozo": bool(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")),
        "title": d.feed.get("title"),
        "link": d.feed.get("link"),
        "id": d.feed.get("id"),
        "updated": instant(d.feed.get("updated_parsed")),
        "author": d.feed.get("author"),
        "links": [{"rel": l.get("rel"), "type": l.get("type"), "href": l.get("href")} for l in d.feed.get("links", [])],
        "entries": [
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "title_type": e.get("title_detail", {}).get("type"),
                "link": e.get("link"),
                "published": instant(e.get("published_parsed")),
                "updated": instant(e.get("updated_parsed")),
                "content": [{"type": c.get("type"), "value": c.get("value")} for c in e.get("content", [])],
                "summary": e.get("summary"),
            }
            for e in d.entries
        ],
    }
    json.dump(out, sys.stdout)


main()
