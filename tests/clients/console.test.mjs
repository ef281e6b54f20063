// The agents' console in Debian's Chromium against a real amends server: sign in, the queue, an overdue case, the
// reply coach as you type, sending a reply and the case moving on; hostile customer text shown as text; a form
// without its CSRF token refused; what a signed-out browser can reach. Screenshots go to tests/artifacts/console/.
// The playbook gives acknowledgement one second, so a case is overdue as soon as the test has opened it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Amends, here } from './support.mjs';

const artifacts = join(here, '../artifacts/console');
const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                       '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const hostileName = '<script>alert(1)</script>';
const hostileBody = '<img src=x onerror="alert(2)"><b>bold?</b> <a href="javascript:alert(3)">click</a> &amp; </div>';
const agent = { name: 'alex', password: 'correct horse battery' };
const admin = { name: 'lee', password: 'another long secret' };

let amends, browser;
let overdueCase, hostileCase;
const dialogs = [];  // every alert() any page opened: must stay empty

async function api(method, path, body) {
    const r = await fetch(amends.origin + path, {
        method,
        headers: { Authorization: `Bearer ${amends.token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function newPage(viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(60000);  // a bound for a loaded machine, not a speed check
    const page = await context.newPage();
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    return { context, page };
}

async function signIn(page, who) {
    await page.goto(`${amends.origin}/console/sign-in`);
    await page.getByLabel('User name').fill(who.name);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${amends.origin}/console`);
}

async function messageCount(caseId) {
    return (await api('GET', `/api/v1/cases/${caseId}/messages?limit=200`)).body.data.length;
}

before(async () => {
    amends = await Amends.start({
        role: 'admin',
        files: { 'playbook.toml': '[defaults.targets]\nacknowledge = "1s"\n' },
        config: (dir) => `playbook = ${JSON.stringify(join(dir, 'playbook.toml'))}\n`,
    });
    for (const [who, role] of [[agent, 'agent'], [admin, 'admin']]) {
        const r = await api('POST', '/api/v1/users', { name: who.name, role, password: who.password });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.password, undefined, 'the password is never echoed');
    }
    const opened = await api('POST', '/api/v1/cases', {
        customer: { name: 'Maya Lindqvist', email: 'maya@example.com' },
        subject: 'My grocery box never came', description: 'My regular delivery did not turn up on Monday.',
        category: 'delivery',
    });
    assert.equal(opened.status, 201);
    overdueCase = opened.body.id;
    await api('POST', `/api/v1/cases/${overdueCase}/messages`,
              { direction: 'in', body: 'It did not come. What happened?' });
    const hostile = await api('POST', '/api/v1/cases', {
        customer: { name: hostileName, email: 'mallory@example.com' },
        subject: `Broken <i>order</i> ${hostileName}`, category: 'billing',
    });
    assert.equal(hostile.status, 201);
    hostileCase = hostile.body.id;
    assert.equal((await api('POST', `/api/v1/cases/${hostileCase}/messages`,
                            { direction: 'in', body: hostileBody })).status, 201);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumFlags,
                                      headless: true });
    mkdirSync(artifacts, { recursive: true });
});

after(async () => {
    await browser?.close();
    await amends?.stop();
    assert.deepEqual(dialogs, [], 'no page may run a script that customer text smuggled in');
});

test('a signed-out browser gets the sign-in page for the console, but reaches the status page and case pages', async () => {
    const link = await api('GET', `/api/v1/cases/${overdueCase}/link`);
    assert.equal(link.status, 200);
    const { context, page } = await newPage();
    try {
        for (const path of ['/console', `/console/cases/${overdueCase}`, '/console/users']) {
            await page.goto(amends.origin + path);
            assert.match(page.url(), /\/console\/sign-in\?next=/, path);
            assert.equal(await page.getByRole('heading', { name: 'Sign in to amends' }).count(), 1, path);
        }
        await page.screenshot({ path: join(artifacts, 'sign-in.png') });
        const status = await page.goto(`${amends.origin}/status`);
        assert.equal(status.status(), 200);
        assert.doesNotMatch(page.url(), /sign-in/);
        const casePage = await page.goto(amends.origin + link.body.url);
        assert.equal(casePage.status(), 200);
        assert.match(await page.content(), /My grocery box never came/);
        // The JSON API without a session or token is 401, not a page.
        const me = await page.request.get(`${amends.origin}/api/v1/me`);
        assert.equal(me.status(), 401);
    } finally {
        await context.close();
    }
});

test('a wrong password is refused and a right one signs in', async () => {
    const { context, page } = await newPage();
    try {
        await page.goto(`${amends.origin}/console/sign-in`);
        await page.getByLabel('User name').fill(agent.name);
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('The user name or password is wrong.').waitFor();
        assert.equal((await context.cookies()).filter((c) => c.name === 'amends_session').length, 0);
        await signIn(page, agent);
        const [cookie] = (await context.cookies()).filter((c) => c.name === 'amends_session');
        assert.ok(cookie.httpOnly);
        assert.equal(cookie.sameSite, 'Lax');
    } finally {
        await context.close();
    }
});

test('the queue shows the overdue case, and hostile customer text as text', async () => {
    const { context, page } = await newPage();
    try {
        await signIn(page, agent);
        // The acknowledgement clock runs one second: reload until the case shows as overdue.
        const row = page.locator('tr', { hasText: 'My grocery box never came' });
        for (;;) {
            await page.goto(`${amends.origin}/console?overdue=1`);
            if (await row.count() === 1) break;
            await page.waitForTimeout(200);
        }
        assert.match(await row.innerText(), /overdue by/);
        assert.match(await row.innerText(), /Acknowledge/);
        await page.goto(`${amends.origin}/console`);
        const hostileRow = page.locator('tr', { hasText: 'Broken' });
        assert.equal(await hostileRow.count(), 1);
        assert.match(await hostileRow.innerText(), /Broken <i>order<\/i> <script>alert\(1\)<\/script>/);
        assert.equal(await hostileRow.getByText(hostileName, { exact: true }).count(), 1);
        assert.equal(await page.locator('main script').count(), 0);
        assert.equal(await page.locator('main i').count(), 0);
        await page.screenshot({ path: join(artifacts, 'queue.png'), fullPage: true });
        const phone = await newPage({ width: 390, height: 844 });
        await signIn(phone.page, agent);
        await phone.page.screenshot({ path: join(artifacts, 'queue-phone.png'), fullPage: true });
        await phone.context.close();
    } finally {
        await context.close();
    }
});

test('a hostile customer name and message body appear as text on the case page', async () => {
    const { context, page } = await newPage();
    try {
        await signIn(page, agent);
        await page.goto(`${amends.origin}/console/cases/${hostileCase}`);
        assert.equal(await page.locator('#customer-name').innerText(), hostileName);
        assert.equal(await page.locator('.timeline .body', { hasText: 'bold?' }).innerText(), hostileBody);
        assert.equal(await page.locator('main img').count(), 0);
        assert.equal(await page.locator('main b').count(), 0);
        assert.equal(await page.locator('main a[href^="javascript"]').count(), 0);
        assert.match(await page.title(), /<script>alert\(1\)<\/script>/);
        await page.screenshot({ path: join(artifacts, 'case-hostile.png'), fullPage: true });
    } finally {
        await context.close();
    }
});

test('open the overdue case, the coach flags a reply without an apology, fix it, send it, and the case moves on', async () => {
    const { context, page } = await newPage();
    try {
        await signIn(page, agent);
        await page.locator('tr', { hasText: 'My grocery box never came' }).getByRole('link').click();
        await page.waitForURL(`${amends.origin}/console/cases/${overdueCase}`);
        const next = page.locator('#next-step');
        assert.match(await next.innerText(), /Next step: Acknowledge/);
        assert.match(await next.innerText(), /overdue by/);
        assert.equal(await page.getByLabel('Acknowledge').isChecked(), true);

        const reply = page.getByLabel('Your reply to Maya Lindqvist');
        const coach = page.locator('#coach-findings');
        await reply.pressSequentially('Sorry if this caused any inconvenience. We will look into it.');
        await coach.getByText('missing apology').waitFor();
        await coach.getByText('conditional apology').waitFor();
        // The finding is marked in the text: the highlight layer holds its excerpt.
        assert.equal(await page.locator('.mirror mark.conditional_apology').innerText(), 'Sorry if this caused');
        await page.screenshot({ path: join(artifacts, 'case-coach.png'), fullPage: true });

        await reply.fill('');
        await reply.pressSequentially('I am so sorry your box never came; that was our mistake. I will find out what ' +
                                      'happened and write to you by 5pm today.');
        await page.waitForFunction(() => {
            const panel = document.getElementById('coach-findings');
            return panel.textContent.includes('Coach:') && !panel.textContent.includes('missing apology') &&
                   !panel.textContent.includes('conditional apology');
        });
        assert.equal(await page.getByLabel('Apologize').isChecked(), true, 'the coach heard the apology');
        const before = await messageCount(overdueCase);
        await page.getByRole('button', { name: 'Send reply' }).click();
        await page.waitForURL(/\?sent=1/);
        await page.getByText('Reply sent.').waitFor();
        assert.equal(await messageCount(overdueCase), before + 1);
        const moved = await page.locator('#next-step').innerText();
        assert.doesNotMatch(moved, /Next step: Acknowledge/);
        assert.doesNotMatch(moved, /Next step: Apologize/);
        assert.match(moved, /Next step: /);
        const steps = page.locator('.steps li');
        assert.match(await steps.nth(0).innerText(), /Acknowledge\s+done/);
        assert.match(await steps.nth(1).innerText(), /Apologize\s+done/);
        assert.match(await page.locator('.timeline li.out').first().innerText(), /alex/);
        await page.screenshot({ path: join(artifacts, 'case.png'), fullPage: true });
    } finally {
        await context.close();
    }
});

test('a reply the coach refuses comes back with its findings, and nothing is sent', async () => {
    const { context, page } = await newPage();
    try {
        await signIn(page, agent);
        await page.goto(`${amends.origin}/console/cases/${overdueCase}`);
        const before = await messageCount(overdueCase);
        await page.getByLabel('Your reply to Maya Lindqvist').fill('You should have read the delivery instructions.');
        const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/reply')),
                                              page.getByRole('button', { name: 'Send reply' }).click()]);
        assert.equal(response.status(), 422);
        await page.getByRole('alert').getByText(/Not sent/).waitFor();
        await page.locator('#coach-findings').getByText('blame customer').waitFor();
        assert.equal(await page.getByLabel('Your reply to Maya Lindqvist').inputValue(),
                     'You should have read the delivery instructions.');
        assert.equal(await messageCount(overdueCase), before);
    } finally {
        await context.close();
    }
});

test('a form posted without its CSRF token is refused and writes nothing; the API wants the header too', async () => {
    const { context, page } = await newPage();
    try {
        await signIn(page, agent);
        await page.goto(`${amends.origin}/console/cases/${overdueCase}`);
        const before = await messageCount(overdueCase);
        const forged = await context.request.post(`${amends.origin}/console/cases/${overdueCase}/reply`, {
            form: { body: 'I am so sorry. We will refund you today.', completes: 'keep_informed', send: '1' },
            maxRedirects: 0,
        });
        assert.equal(forged.status(), 403);
        const wrong = await context.request.post(`${amends.origin}/console/cases/${overdueCase}/reply`, {
            form: { body: 'I am so sorry. We will refund you today.', _csrf: 'not-the-token' }, maxRedirects: 0,
        });
        assert.equal(wrong.status(), 403);
        assert.equal(await messageCount(overdueCase), before);
        // The JSON API by cookie: reads work, writes need X-CSRF-Token.
        const token = await page.locator('meta[name="csrf-token"]').getAttribute('content');
        const me = await context.request.get(`${amends.origin}/api/v1/me`);
        assert.equal(me.status(), 200);
        assert.equal((await me.json()).name, agent.name);
        const bare = await context.request.post(`${amends.origin}/api/v1/cases/${overdueCase}/messages`,
                                                { data: { body: 'I am so sorry.', send: false } });
        assert.equal(bare.status(), 403);
        assert.equal(await messageCount(overdueCase), before);
        const ok = await context.request.post(`${amends.origin}/api/v1/coach`,
                                              { data: { text: 'I am so sorry.' }, headers: { 'X-CSRF-Token': token } });
        assert.equal(ok.status(), 200);
    } finally {
        await context.close();
    }
});

test('an agent cannot open the users page; an admin manages users there; sign-out ends the session', async () => {
    const { context, page } = await newPage();
    try {
        await signIn(page, agent);
        assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
        const refused = await page.goto(`${amends.origin}/console/users`);
        assert.equal(refused.status(), 403);
        await context.clearCookies();
        await signIn(page, admin);
        await page.getByRole('link', { name: 'Users' }).click();
        await page.getByLabel('User name').fill(hostileName);
        await page.getByRole('button', { name: 'Add user' }).click();
        await page.getByRole('alert').getByText('a user name uses letters, digits and . _ - @ only').waitFor();
        await page.getByLabel('User name').fill('mallory');
        await page.getByLabel('Role').selectOption('agent');
        await page.getByLabel(/^Password/).fill('a password for mallory');
        await page.getByRole('button', { name: 'Add user' }).click();
        const secret = await page.locator('#new-token').innerText();
        assert.match(secret, /^amd_\d+_/);
        assert.equal((await fetch(`${amends.origin}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } })).status,
                     200);
        assert.equal(await page.locator('td', { hasText: 'mallory' }).first().innerText(), 'mallory');
        await page.screenshot({ path: join(artifacts, 'users.png'), fullPage: true });
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(/\/console\/sign-in/);
        await page.goto(`${amends.origin}/console`);
        assert.match(page.url(), /\/console\/sign-in/);
    } finally {
        await context.close();
    }
});
