// The console's incident, debrief and report pages in Debian's Chromium (playwright-core), against the real amends
// binary: declare an incident and attach customers from a CSV file, post an update, write a debrief's why-chain and
// add an action that is late, and open the reports page and see every chart drawn. Hostile names stay text.
// Screenshots go to tests/artifacts/console/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { amendsBinary, freePort, here } from './support.mjs';

const artifacts = join(here, '../artifacts/console');
const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                       '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const hostile = '<script>alert(1)</script>';

let amends, browser, dialogs = 0;

// `amends serve --demo` on a fresh database: the demo cases, and the admin "demo" with the console password
// amends-demo (the README's demo). An admin sees every page, the managers' reports too.
async function startDemo() {
    const a = { dir: mkdtempSync(join(tmpdir(), 'amends-console-')) };
    a.port = await freePort();
    a.origin = `http://127.0.0.1:${a.port}`;
    const config = join(a.dir, 'amends.toml');
    writeFileSync(config, `public_url = "${a.origin}"\n[status]\nname = "Acme Parcels"\n`);
    a.log = join(a.dir, 'server.log');
    const log = openSync(a.log, 'w');
    a.child = spawn(amendsBinary(), ['serve', '--config', config, '--db', join(a.dir, 'amends.db'),
                                     '--listen', `127.0.0.1:${a.port}`, '--demo'], { stdio: ['ignore', log, log] });
    a.exited = new Promise((resolve) => a.child.on('exit', resolve));
    a.stop = async () => {
        if (a.child.exitCode === null) {
            a.child.kill('SIGTERM');
            await a.exited;
        }
        rmSync(a.dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 600; ++i) {  // bounded: 30 s for an ASan build to come up
        try {
            if ((await fetch(`${a.origin}/healthz`)).ok) {
                // The demo admin's API token, printed on the log's last line.
                const lines = readFileSync(a.log, 'utf8').split('\n');
                a.token = lines[lines.findIndex((l) => l.includes('demo admin token')) + 1];
                return a;
            }
        } catch { /* not listening yet */ }
        if (a.child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
    }
    await a.stop();
    throw new Error('amends serve --demo did not start');
}

// The staff JSON API with the demo admin's token; throws unless the answer is `expect`.
async function api(method, path, body, expect) {
    const r = await fetch(amends.origin + path, {
        method,
        headers: { Authorization: `Bearer ${amends.token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.equal(r.status, expect, `${method} ${path}: ${text}`);
    return JSON.parse(text);
}

async function signIn(page) {
    await page.goto(`${amends.origin}/console/sign-in`);
    await page.getByLabel('User name').fill('demo');
    await page.getByLabel('Password').fill('amends-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/console/sign-in'));
}

before(async () => {
    mkdirSync(artifacts, { recursive: true });
    amends = await startDemo();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
});

after(async () => {
    if (browser) await browser.close();
    if (amends) await amends.stop();
});

async function newPage() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', async (d) => { ++dialogs; await d.dismiss(); });
    await signIn(page);
    return page;
}

// The id of the incident the browser declared, from the page it landed on.
function incidentIdOf(page) {
    const m = new URL(page.url()).pathname.match(/^\/console\/incidents\/([^/]+)$/);
    assert.ok(m, `not on an incident page: ${page.url()}`);
    return m[1];
}

let incidentId;

test('declare an incident, attach customers from a CSV file, post an update', async () => {
    const page = await newPage();
    await page.goto(`${amends.origin}/console/incidents`);
    await page.getByLabel('Name (shown on the status page)').fill(`${hostile} Deliveries late`);
    await page.getByLabel('Status', { exact: true }).selectOption('identified');
    await page.getByLabel('Impact').selectOption('major');
    await page.getByLabel('First update (public)').fill(
        'Parcels from our Leeds depot are running two days late. We are sorry: a scheduling change we made caused it.');
    await page.getByLabel('Next update promised in').selectOption('1h');
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.waitForURL(/\/console\/incidents\/[^/]+$/);
    incidentId = incidentIdOf(page);
    assert.equal(await page.locator('h1').textContent(), `${hostile} Deliveries late`, 'the title is shown as text');
    assert.equal(await page.locator('h1 script').count(), 0);

    // 250 customers, one of them with a hostile name, one a quoted field with a comma and a line break.
    let csv = 'external_ref,email,name,order\n';
    csv += `cust-0,c0@example.com,"${hostile}",1000\n`;
    csv += 'cust-1,c1@example.com,"Ray, ""the driver""\nSmith",1001\n';
    for (let i = 2; i < 250; ++i) csv += `cust-${i},c${i}@example.com,Customer ${i},${1000 + i}\n`;
    await page.getByLabel(/^CSV file/).setInputFiles({ name: 'affected.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Attach customers' }).click();
    const result = page.locator('#attach-result[data-attached]');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-attached'), '250', await page.locator('#attach-result').textContent());
    assert.match(await result.textContent(), /250 rows: 250 attached/);
    assert.equal(await page.locator('#affected-count').textContent(), '250');
    assert.equal(Number(await page.locator('#attach-progress').getAttribute('max')), 250);
    await page.screenshot({ path: join(artifacts, 'incident.png'), fullPage: true });

    // A second upload of the same file attaches no one twice.
    await page.getByRole('button', { name: 'Attach customers' }).click();
    await page.locator('#attach-result', { hasText: '250 already attached' }).waitFor();

    // The notices went to the outbox: the counts on a fresh load add up to one per customer.
    await page.reload();
    const counts = await Promise.all(['queued', 'sent', 'failed'].map(
        async (k) => Number(await page.locator(`#notices-${k}`).textContent())));
    assert.equal(counts.reduce((a, b) => a + b, 0), 250, `notice counts ${counts}`);

    // An update with its next promise.
    await page.getByLabel('Status', { exact: true }).selectOption('monitoring');
    await page.getByLabel(/^Message/).fill('A fix is in place and parcels are moving again. Sorry for the wait.');
    await page.getByLabel('Next update promised in').selectOption('2h');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.waitForURL(new RegExp(`/console/incidents/${incidentId}$`));
    assert.equal(await page.locator('#incident-status').textContent(), 'monitoring');
    assert.match(await page.locator('.timeline').textContent(), /parcels are moving again/);
    const preview = page.locator('iframe.preview');
    assert.equal(await preview.getAttribute('src'), `/incidents/${incidentId}`);
    await page.screenshot({ path: join(artifacts, 'incident-updated.png'), fullPage: true });

    // The list shows it with its affected count; the hostile title is text there too.
    await page.goto(`${amends.origin}/console/incidents`);
    const row = page.locator('#incidents tbody tr', { hasText: 'Deliveries late' });
    assert.match(await row.textContent(), /<script>alert\(1\)<\/script> Deliveries late/);
    assert.match(await row.textContent(), /250/);
    await page.screenshot({ path: join(artifacts, 'incidents.png'), fullPage: true });
    await page.context().close();
});

test('a CSV with a malformed line is refused and names the line', async () => {
    const page = await newPage();
    await page.goto(`${amends.origin}/console/incidents/${incidentId}`);
    const csv = 'email,name\na@example.com,Ann\nb@example.com\n';
    await page.getByLabel(/^CSV file/).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Attach customers' }).click();
    await page.locator('#attach-result[data-error]').waitFor();
    assert.match(await page.locator('#attach-result').textContent(), /line 3: 1 fields where the header has 2/);
    await page.context().close();
});

test('a debrief: the why-chain, an action, and what is late', async () => {
    const page = await newPage();
    await page.goto(`${amends.origin}/console/debriefs`);
    await page.getByLabel('Title').fill(`Late parcels from Leeds ${hostile}`);
    await page.getByLabel(/^Incident id/).fill(incidentId);
    await page.getByRole('button', { name: 'Start debrief' }).click();
    await page.waitForURL(/\/console\/debriefs\/\d+$/);
    assert.equal(await page.locator('h1').textContent(), `Late parcels from Leeds ${hostile}`);

    const whys = [
        ['Why were parcels late?', 'The depot ran one shift instead of two.'],
        ['Why one shift?', 'The new rota left the night shift empty.'],
        ['Why was it empty?', 'Nobody checked the rota against the volume forecast.'],
    ];
    for (let i = 0; i < whys.length; ++i) {
        await page.getByLabel(`Why ${i + 1}: question`).fill(whys[i][0]);
        await page.getByLabel(`Why ${i + 1}: answer`).fill(whys[i][1]);
    }
    assert.equal(await page.getByLabel('Why 5: question').count(), 1, 'five whys to fill');
    await page.getByRole('button', { name: 'Save the why-chain' }).click();
    await page.waitForURL(/\/console\/debriefs\/\d+$/);
    assert.equal(await page.getByLabel('Why 3: answer').inputValue(), whys[2][1]);

    // An action on the third why, due yesterday: late.
    const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
    await page.getByLabel('What will be done').fill('Check every rota against the forecast before it is published');
    await page.getByLabel('The why it answers').selectOption('2');
    await page.getByLabel(/^Owner/).fill('depot team');
    await page.getByLabel('Due').fill(yesterday);
    await page.getByRole('button', { name: 'Add action' }).click();
    await page.waitForURL(/\/console\/debriefs\/\d+$/);
    const action = page.locator('#actions tbody tr', { hasText: 'Check every rota' });
    assert.match(await action.textContent(), /late/);
    await page.screenshot({ path: join(artifacts, 'debrief.png'), fullPage: true });

    await page.goto(`${amends.origin}/console/debriefs`);
    assert.match(await page.locator('#late-actions').textContent(), /Check every rota/);
    assert.match(await page.locator('#debriefs').textContent(), /Late parcels from Leeds <script>/);
    await page.screenshot({ path: join(artifacts, 'debriefs.png'), fullPage: true });

    // Marking it done takes it off the late list.
    await page.goto(page.url().replace(/\/console\/debriefs$/, '') + '/console/debriefs');
    await page.locator('#debriefs a', { hasText: 'Late parcels' }).click();
    await page.getByRole('button', { name: /^Mark action \d+ done$/ }).click();
    await page.waitForURL(/\/console\/debriefs\/\d+$/);
    assert.match(await page.locator('#actions tbody tr', { hasText: 'Check every rota' }).textContent(), /completed/);
    await page.goto(`${amends.origin}/console/debriefs`);
    assert.match(await page.locator('#late-actions').textContent(), /Nothing is late/);
    await page.context().close();
});

test('the reports page draws every chart', async () => {
    // Three affected customers write in (their cases link to the incident); two are acknowledged, two answer the
    // follow-up.
    const cases = [];
    for (const i of [3, 4, 5]) {
        const customer = (await api('GET', `/api/v1/customers?email=c${i}%40example.com`, undefined, 200)).data[0];
        cases.push(await api('POST', '/api/v1/cases', { customer_id: customer.id, subject: 'Where is my parcel?',
                                                         category: 'delivery' }, 201));
    }
    for (const c of cases.slice(0, 2)) {
        await api('POST', `/api/v1/cases/${c.id}/events`,
                  { type: 'step.completed', data: { step: 'acknowledge', evidence: 'Called them' } }, 201);
    }
    await api('POST', `/api/v1/cases/${cases[0].id}/events`, { type: 'followup.answered', data: { score: 4 } }, 201);
    await api('POST', `/api/v1/cases/${cases[1].id}/events`, { type: 'followup.answered', data: { score: 2 } }, 201);

    const page = await newPage();
    await page.goto(`${amends.origin}/console/reports`);
    await page.locator('#team-report[data-drawn="true"]').waitFor();
    const charts = await page.locator('canvas').evaluateAll((canvases) => canvases.map((c) => {
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ++inked;
        return { id: c.id, chart: !!window.Chart.getChart(c), inked, label: c.getAttribute('aria-label') };
    }));
    assert.deepEqual(charts.map((c) => c.id), ['chart-acknowledge', 'chart-breaches', 'chart-followup', 'chart-remedies',
                                               'chart-incidents', 'chart-recurrence']);
    for (const c of charts) {
        assert.ok(c.chart, `${c.id}: Chart.getChart finds a chart`);
        assert.ok(c.inked > 100, `${c.id}: the canvas has ink (${c.inked} pixels)`);
        assert.ok(c.label && c.label.length > 20, `${c.id}: aria-label`);
    }
    // The incident declared above is in the contacts chart's table, its hostile name as text.
    assert.match(await page.locator('#incidents-table').textContent(), /<script>alert\(1\)<\/script> Deliveries late/);
    const labels = await page.evaluate(() => window.Chart.getChart(document.getElementById('chart-incidents')).data.labels);
    assert.ok(labels.includes(`${hostile} Deliveries late`), JSON.stringify(labels));
    const incident = page.locator('#incidents-table tbody tr', { hasText: 'Deliveries late' });
    assert.match(await incident.textContent(), /250\s*3\s*1\.2$/, 'affected 250, cases 3, 1.2 per hundred');
    const drawn = await page.evaluate(() => {
        const data = (id) => window.Chart.getChart(document.getElementById(id)).data.datasets;
        return { perHundred: data('chart-incidents')[0].data, scores: data('chart-followup').map((d) => d.data.at(-1)) };
    });
    assert.ok(drawn.perHundred.includes(1.2), JSON.stringify(drawn));
    assert.deepEqual(drawn.scores, [0, 1, 0, 1, 0, 3], 'this week: one 2, one 4, average 3');
    assert.match(await page.locator('#acknowledge-summary').textContent(), /[1-9]\d* acknowledged/);
    await page.screenshot({ path: join(artifacts, 'reports.png'), fullPage: true });
    await page.context().close();
});

test('no hostile script ran on any page', () => {
    assert.equal(dialogs, 0);
});
