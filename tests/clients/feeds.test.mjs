// /history.atom and /history.rss of a real amends server: valid against RELAX NG schemas of Atom 1.0 (RFC 4287)
// and RSS 2.0 (feeds/*.rng; xmllint from Debian's libxml2-utils), with the rules a grammar cannot say checked here,
// and read by a real feed reader (Debian's python3-feedparser) into the same names, links, dates and text the v2
// API holds. Titles and bodies carry markup-like text and non-ASCII on purpose.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Amends, here, inMinutes } from './support.mjs';

let amends, atom, rss, v2;
const tricky = {
    name: 'Cards & vouchers "declined" <sometimes> — ça coûte',
    body: 'Payments by card fail for 1 in 5 orders & vouchers <b>too</b>. Ça va aller: we are sorry. 🙏',
};

function xmllint(schema, xml) {
    return spawnSync('xmllint', ['--noout', '--nonet', '--relaxng', join(here, 'feeds', schema), '-'],
                     { input: xml, encoding: 'utf8' });
}

function feedparser(xml) {
    const r = spawnSync('/usr/bin/python3', [join(here, 'feeds', 'read_feed.py')], { input: xml, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
}

before(async () => {
    amends = await Amends.start({ name: 'Acme & Sons' });
    await amends.post('/api/v1/components', { id: 'checkout', name: 'Checkout' });
    await amends.post('/api/v1/components', { id: 'email', name: 'Billing e-mails' });
    const first = await amends.post('/api/v1/incidents', {
        name: 'Website down', status: 'investigating', components: { checkout: 'major_outage' },
        body: 'Nothing loads.', next_update_in: '30m',
    });
    await amends.post(`/api/v1/incidents/${first.id}/updates`, { status: 'resolved', body: 'Back up.' });
    await amends.post(`/api/v1/incidents/${first.id}/updates`, { status: 'postmortem', body: 'A full disk. Fixed.' });
    await amends.post('/api/v1/maintenances', {
        name: 'Billing e-mail provider migration', body: 'Invoices are queued during the move.',
        scheduled_for: inMinutes(60), scheduled_until: inMinutes(120), components: ['email'],
    });
    await amends.post('/api/v1/incidents', {
        name: tricky.name, status: 'identified', components: { checkout: 'partial_outage' }, body: tricky.body,
        next_update_in: '1h',
    });
    atom = await amends.get('/history.atom');
    rss = await amends.get('/history.rss');
    const incidents = JSON.parse((await amends.get('/api/v2/incidents.json')).body).incidents;
    const maintenances = JSON.parse((await amends.get('/api/v2/scheduled-maintenances.json')).body).scheduled_maintenances;
    v2 = [...incidents, ...maintenances].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
});

after(() => amends?.stop());

const seconds = (iso) => Math.floor(Date.parse(iso) / 1000);

test('both feeds are served with their media types, readable from any origin', () => {
    assert.equal(atom.status, 200);
    assert.match(atom.headers.get('content-type'), /^application\/atom\+xml/);
    assert.equal(rss.status, 200);
    assert.match(rss.headers.get('content-type'), /^application\/rss\+xml/);
    for (const r of [atom, rss]) assert.equal(r.headers.get('access-control-allow-origin'), '*');
});

test('the Atom feed is valid against the RFC 4287 schema, and the schema refuses a feed missing a required element', () => {
    const ok = xmllint('atom.rng', atom.body);
    assert.equal(ok.status, 0, ok.stderr);
    const noId = atom.body.replace(/<entry>\s*<id>[^<]*<\/id>/, '<entry>');
    assert.notEqual(noId, atom.body);
    assert.notEqual(xmllint('atom.rng', noId).status, 0, 'an entry without atom:id must fail');
    const badDate = atom.body.replace(/<updated>(\d{4}-\d\d-\d\d)T/, '<updated>$1 ');
    assert.notEqual(xmllint('atom.rng', badDate).status, 0, 'a non-RFC 3339 date must fail');
});

test('the RSS feed is valid against the RSS 2.0 schema, and the schema refuses an item without title or description', () => {
    const ok = xmllint('rss.rng', rss.body);
    assert.equal(ok.status, 0, ok.stderr);
    const bare = rss.body.replace(/<title>[^<]*<\/title>\s*<description>[^<]*<\/description>(\s*<pubDate>)/, '$1');
    assert.notEqual(bare, rss.body);
    assert.notEqual(xmllint('rss.rng', bare).status, 0, 'an item with neither title nor description must fail');
    const badDate = rss.body.replace(/<pubDate>\w+, /, '<pubDate>');
    const isoDate = badDate.replace(/<pubDate>[^<]*<\/pubDate>/, '<pubDate>2026-11-23T07:05:00Z</pubDate>');
    assert.notEqual(xmllint('rss.rng', isoDate).status, 0, 'an ISO date in pubDate must fail');
});

test('Atom rules a grammar cannot say: an author for every entry, unique ids, one alternate link per entry', () => {
    const feed = feedparser(atom.body);
    assert.equal(feed.version, 'atom10');
    assert.equal(feed.bozo, false, feed.bozo_exception);
    assert.equal(feed.author, 'Acme & Sons');  // on the feed, so it covers every entry
    const ids = feed.entries.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    const alternates = (atom.body.match(/<entry>[\s\S]*?<\/entry>/g) || [])
        .map((e) => (e.match(/rel="alternate"/g) || []).length);
    assert.deepEqual(alternates, Array(v2.length).fill(1));
});

test('a feed reader reads the Atom feed into what the v2 API says, text intact', async () => {
    const feed = feedparser(atom.body);
    assert.equal(feed.title, 'Acme & Sons Status - Incident History');
    assert.deepEqual(feed.links.map((l) => [l.rel, l.href]),
                     [['alternate', amends.origin], ['self', `${amends.origin}/history.atom`]]);
    assert.deepEqual(feed.entries.map((e) => e.title), v2.map((i) => i.name));
    assert.equal(feed.entries[0].title, tricky.name);
    assert.equal(feed.entries[0].title_type, 'text/plain');
    for (const [e, i] of feed.entries.map((e, k) => [e, v2[k]])) {
        assert.equal(e.link, `${amends.origin}/incidents/${i.id}`);
        assert.equal(e.published, seconds(i.created_at));
        assert.equal(e.updated, seconds(i.updated_at));
        assert.equal(e.content.length, 1);
        assert.equal(e.content[0].type, 'text/html');
        // Every update's body is in the entry, as text: the reader does not see <b> as markup.
        for (const u of i.incident_updates) assert.ok(e.content[0].value.includes(htmlEscape(u.body)), u.body);
    }
    assert.ok(feed.entries[0].content[0].value.includes('&lt;b&gt;too&lt;/b&gt;'));
    assert.ok(feed.entries[0].content[0].value.includes('🙏'));
    // The links lead somewhere: each entry to its page, the feed to the status page.
    for (const href of [feed.links[0].href, feed.entries[0].link]) {
        const r = await fetch(href);
        assert.equal(r.status, 200, href);
        assert.match(r.headers.get('content-type'), /^text\/html/);
    }
});

test('a feed reader reads the RSS feed into the same items', () => {
    const feed = feedparser(rss.body);
    assert.equal(feed.version, 'rss20');
    assert.equal(feed.bozo, false, feed.bozo_exception);
    assert.equal(feed.title, 'Acme & Sons Status - Incident History');
    assert.equal(feed.link, amends.origin);
    assert.deepEqual(feed.entries.map((e) => e.title), v2.map((i) => i.name));
    for (const [e, i] of feed.entries.map((e, k) => [e, v2[k]])) {
        assert.equal(e.link, `${amends.origin}/incidents/${i.id}`);
        assert.equal(e.id, e.link);  // guid isPermaLink
        assert.equal(e.published, seconds(i.created_at));
        for (const u of i.incident_updates) assert.ok(e.summary.includes(htmlEscape(u.body)), u.body);
    }
});

function htmlEscape(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
