// Atlassian's own status widget (@statuspage/status-widget, from npm) in Debian's Chromium, on a page of another
// origin, pointed at a real amends server: it shows the indicator and description amends computes, as the page's
// visitors would see them. A page of a third origin that sends no CORS header shows nothing, which proves the
// cross-origin read is really exercised.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Amends, freePort, here, inMinutes } from './support.mjs';

const widgetJs = readFileSync(join(here, 'node_modules/@statuspage/status-widget/dist/index.js'));
const artifacts = join(here, '../artifacts/clients');

// The flags the machine needs: no GPU, no background traffic to hosts that are not there.
const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                       '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let amends, browser;
let pageServer, pageOrigin;
let noCorsServer, noCorsOrigin, noCorsHits = 0;

function listen(server) {
    return freePort().then((port) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(port))));
}

before(async () => {
    amends = await Amends.start();
    // The embedding site: another origin (another port), as a shop's own pages would be.
    pageServer = createServer((req, res) => {
        if (req.url === '/widget.js') {
            res.writeHead(200, { 'Content-Type': 'text/javascript' });
            return res.end(widgetJs);
        }
        if (req.url === '/' || req.url === '/no-cors') {
            // The basic widget names the bare origin, as Atlassian's docs do; the badge names the page itself. The
            // widget swaps src's path for /api/v2/summary.json and links to src as given.
            const [basicSrc, badgeSrc] = req.url === '/' ? [amends.origin, `${amends.origin}/status`]
                                                         : [noCorsOrigin, noCorsOrigin];
            res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
            return res.end(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Shop</title>
<style>body{font-family:sans-serif;color:#333;margin:16px} .dark{background:#333;color:#aaa;padding:8px}</style></head>
<body><h1>Our shop</h1>
<p>Service status: <statuspage-widget id="basic" src="${basicSrc}"></statuspage-widget></p>
<div class="dark"><statuspage-widget id="badge" src="${badgeSrc}" appearance="badge"></statuspage-widget></div>
<script src="/widget.js"></script></body></html>`);
        }
        res.writeHead(404).end();
    });
    pageOrigin = `http://127.0.0.1:${await listen(pageServer)}`;
    // A status API that answers well-formed JSON but no Access-Control-Allow-Origin.
    noCorsServer = createServer((req, res) => {
        ++noCorsHits;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ page: { id: 'x', name: 'x', url: 'http://x', time_zone: 'Etc/UTC', updated_at: new Date().toISOString() },
                                 status: { indicator: 'major', description: 'Never shown' } }));
    });
    noCorsOrigin = `http://127.0.0.1:${await listen(noCorsServer)}`;
    // Debian's Chromium, never a browser of Playwright's own; launch() gives it a new, empty profile directory.
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumFlags,
                                      headless: true });
    mkdirSync(artifacts, { recursive: true });
});

after(async () => {
    await browser?.close();
    await amends?.stop();
    pageServer?.close();
    noCorsServer?.close();
});

// Opens the shop page in a fresh context (the widget caches a summary for 30 s in memory, and the browser keeps
// it for max-age: a new visitor sees the page as it is now) and reads both widgets once they have rendered.
async function visit(path, screenshot) {
    const context = await browser.newContext({ viewport: { width: 520, height: 200 } });
    context.setDefaultTimeout(60000);  // a bound for a loaded machine, not a speed check
    try {
        const page = await context.newPage();
        const summaries = [];
        page.on('response', (r) => { if (r.url().endsWith('/api/v2/summary.json')) summaries.push(r); });
        await page.goto(pageOrigin + path);
        // Both appearances put the indicator in the class of `.status-indicator`. The basic one writes the
        // description in `.status-text`; the badge writes "system status" there and the description (shown
        // lower-cased by CSS) in the indicator itself.
        const read = async (id) => {
            const indicator = page.locator(`#${id} .status-indicator`);
            await indicator.waitFor({ state: 'attached', timeout: 60000 });
            return { indicator: await indicator.getAttribute('class'),
                     indicatorText: (await indicator.textContent()).trim(),
                     text: (await page.locator(`#${id} .status-text`).textContent()).trim(),
                     href: await page.locator(`#${id} a`).getAttribute('href') };
        };
        const basic = await read('basic');
        const badge = await read('badge');
        if (screenshot) await page.screenshot({ path: join(artifacts, `widget-${screenshot}.png`) });
        return { basic, badge, summaries };
    } finally {
        await context.close();
    }
}

function classes(attr) {
    return attr.split(/\s+/).filter(Boolean).sort();
}

async function expectWidget(state, indicator, description) {
    const seen = await visit('/', state);
    for (const w of [seen.basic, seen.badge])
        assert.deepEqual(classes(w.indicator), ['status-indicator', indicator].sort(), `${state}: ${w.indicator}`);
    assert.equal(seen.basic.text, description, state);
    assert.equal(seen.badge.text, 'system status', state);
    assert.equal(seen.badge.indicatorText, description, state);
    // It read amends itself, across origins (the browser checked Access-Control-Allow-Origin).
    assert.ok(seen.summaries.length >= 1, 'the widget fetched summary.json');
    for (const r of seen.summaries) {
        assert.equal(r.url(), `${amends.origin}/api/v2/summary.json`);
        assert.equal(r.status(), 200);
        assert.equal(r.headers()['access-control-allow-origin'], '*');
    }
    // A click takes the visitor to amends' own status page, which says the same, whichever src the site wrote.
    assert.equal(seen.basic.href, amends.origin);
    assert.equal(seen.badge.href, `${amends.origin}/status`);
    for (const href of [seen.basic.href, seen.badge.href]) {
        const target = await fetch(href);
        assert.equal(target.status, 200, href);
        assert.equal(target.url, `${amends.origin}/status`);
        assert.ok((await target.text()).includes(description), `${state}: ${href} does not say ${description}`);
    }
}

test('the widget follows the page through operational, incident and maintenance states', async (t) => {
    for (const [id, name] of [['api', 'API'], ['checkout', 'Checkout'], ['email', 'Billing e-mails']])
        await amends.post('/api/v1/components', { id, name });

    await t.test('all operational', () => expectWidget('none', 'none', 'All Systems Operational'));

    const incident = await amends.post('/api/v1/incidents', {
        name: 'Checkout is slow', status: 'investigating', components: { checkout: 'degraded_performance' },
        body: 'Payments take up to a minute to confirm. We are looking into it.', next_update_in: '30m',
    });
    await t.test('a minor incident', () => expectWidget('minor', 'minor', 'Partially Degraded Service'));

    await amends.post(`/api/v1/incidents/${incident.id}/updates`, {
        status: 'identified', components: { checkout: 'partial_outage' }, impact: 'major',
        body: 'Some card payments fail. A faulty release is being rolled back.', next_update_in: '30m',
    });
    await t.test('a major incident', () => expectWidget('major', 'major', 'Minor Service Outage'));

    await amends.post(`/api/v1/incidents/${incident.id}/updates`, {
        status: 'identified', components: { checkout: 'major_outage', api: 'major_outage' }, impact: 'critical',
        body: 'Checkout and the API are down. We are sorry; the rollback is under way.', next_update_in: '15m',
    });
    await t.test('a critical incident', () => expectWidget('critical', 'critical', 'Partial System Outage'));

    await amends.post(`/api/v1/incidents/${incident.id}/updates`, {
        status: 'resolved', body: 'Everything works again. We are sorry for the trouble.',
    });
    await t.test('resolved: operational again', () => expectWidget('resolved', 'none', 'All Systems Operational'));

    const maintenance = await amends.post('/api/v1/maintenances', {
        name: 'Billing e-mail provider migration', body: 'Invoices are queued, not lost, during the move.',
        scheduled_for: inMinutes(1), scheduled_until: inMinutes(61), components: ['email'],
    });
    await t.test('maintenance scheduled, not started: still operational',
                 () => expectWidget('scheduled', 'none', 'All Systems Operational'));
    await amends.post(`/api/v1/maintenances/${maintenance.id}/updates`, {
        status: 'in_progress', body: 'The migration has started.',
    });
    await t.test('a maintenance in progress',
                 () => expectWidget('maintenance', 'maintenance', 'Service Under Maintenance'));
});

test('a status API without CORS headers leaves the widget empty (the cross-origin check is real)', async () => {
    const before = noCorsHits;
    const context = await browser.newContext();
    context.setDefaultTimeout(60000);
    try {
        const page = await context.newPage();
        const failed = new Promise((resolve) => page.on('requestfailed', (r) => resolve(r.url())));
        await page.goto(`${pageOrigin}/no-cors`);
        assert.equal(await failed, `${noCorsOrigin}/api/v2/summary.json`);
        // The element rendered its (empty) shell and no status from the unreadable answer.
        assert.ok(noCorsHits > before, 'the browser did send the request');
        const content = await page.locator('#basic').evaluate((e) => (e.shadowRoot ? e.shadowRoot.textContent : e.textContent));
        assert.ok(!content.includes('Never shown'), content);
        assert.equal(await page.locator('#basic .status-indicator').count(), 0);
    } finally {
        await context.close();
    }
});
