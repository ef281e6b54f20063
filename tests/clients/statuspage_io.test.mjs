// The `statuspage.io` npm client (3.3.8, the last release that ships code) pointed at a real amends server with
// setApiUrl: every read it offers returns what the page holds (names, statuses, counts, order, links between
// objects), parsed by the client's own axios instance exactly as it parses Atlassian's answers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Statuspage } from 'statuspage.io';
import { Amends, inMinutes } from './support.mjs';

let amends, sp, api;
const ids = {};

before(async () => {
    amends = await Amends.start({ name: 'Acme Parcels' });
    const add = (body) => amends.post('/api/v1/components', body);
    await add({ id: 'web', name: 'Website', position: 1, showcase: true });
    await add({ id: 'shipping', name: 'Shipping', position: 2, group: true });
    await add({ id: 'eu', name: 'EU parcels', group_id: 'shipping', position: 1, description: 'Deliveries to EU addresses' });
    await add({ id: 'uk', name: 'UK parcels', group_id: 'shipping', position: 2 });
    await add({ id: 'email', name: 'Billing e-mails', position: 3 });

    // Last night's outage, over and done with.
    const old = await amends.post('/api/v1/incidents', {
        name: 'Website down', status: 'investigating', components: { web: 'major_outage' },
        body: 'The website does not load. We are on it.', next_update_in: '30m',
    });
    ids.resolved = old.id;
    await amends.post(`/api/v1/incidents/${old.id}/updates`, { status: 'resolved', body: 'The website is back. Sorry.' });

    // Today's delay, still open.
    const open = await amends.post('/api/v1/incidents', {
        name: 'EU parcels delayed', status: 'identified', components: { eu: 'partial_outage' },
        body: 'A hub in Rotterdam is closed by a storm: EU parcels are a day late. We are sorry.', next_update_in: '2h',
    });
    ids.open = open.id;

    // One maintenance under way, one next week.
    const now = await amends.post('/api/v1/maintenances', {
        name: 'Billing e-mail provider migration', body: 'Invoices are queued during the move.',
        scheduled_for: inMinutes(1), scheduled_until: inMinutes(90), components: ['email'],
    });
    ids.active = now.id;
    await amends.post(`/api/v1/maintenances/${now.id}/updates`, { status: 'in_progress', body: 'The move has started.' });
    const later = await amends.post('/api/v1/maintenances', {
        name: 'Website database upgrade', body: 'The website may be read-only for ten minutes.',
        scheduled_for: inMinutes(7 * 24 * 60), scheduled_until: inMinutes(7 * 24 * 60 + 60), components: ['web'],
    });
    ids.upcoming = later.id;

    sp = new Statuspage('amends');
    sp.setApiUrl(amends.origin);
    api = sp.api;
});

after(() => amends?.stop());

function expectPage(page) {
    assert.equal(page.id, 'amends');
    assert.equal(page.name, 'Acme Parcels');
    assert.equal(page.url, amends.origin);
    assert.ok(!Number.isNaN(Date.parse(page.updated_at)), page.updated_at);
}

const names = (list) => list.map((x) => x.name);

test('getStatus: the rollup of one partial outage among four leaves, with a major incident open', async () => {
    const status = await api.getStatus();
    assert.deepEqual(Object.keys(status), ['page', 'status']);
    expectPage(status.page);
    assert.deepEqual(status.status, { indicator: 'major', description: 'Minor Service Outage' });
});

test('getComponents: every component, groups followed by their children, with their statuses', async () => {
    const { page, components } = await api.getComponents();
    expectPage(page);
    assert.deepEqual(names(components), ['Website', 'Shipping', 'EU parcels', 'UK parcels', 'Billing e-mails']);
    const byId = Object.fromEntries(components.map((c) => [c.id, c]));
    assert.deepEqual(Object.fromEntries(components.map((c) => [c.id, c.status])),
                     { web: 'operational', shipping: 'partial_outage', eu: 'partial_outage', uk: 'operational',
                       email: 'under_maintenance' });
    assert.equal(byId.shipping.group, true);
    assert.deepEqual(byId.shipping.components, ['eu', 'uk']);
    assert.equal(byId.eu.group_id, 'shipping');
    assert.equal(byId.eu.description, 'Deliveries to EU addresses');
    assert.equal(byId.web.showcase, true);
    assert.equal(byId.web.group_id, null);
    for (const c of components) assert.equal(c.page_id, 'amends');
});

test('getSummary: status, components, the open incident and both maintenances', async () => {
    const summary = await api.getSummary();
    assert.deepEqual(Object.keys(summary), ['page', 'status', 'components', 'incidents', 'scheduled_maintenances']);
    expectPage(summary.page);
    assert.deepEqual(summary.status, { indicator: 'major', description: 'Minor Service Outage' });
    assert.equal(summary.components.length, 5);
    assert.deepEqual(names(summary.incidents), ['EU parcels delayed']);
    const [incident] = summary.incidents;
    assert.equal(incident.id, ids.open);
    assert.equal(incident.status, 'identified');
    assert.equal(incident.impact, 'major');
    assert.equal(incident.resolved_at, null);
    assert.equal(incident.shortlink, `${amends.origin}/incidents/${ids.open}`);
    assert.equal(incident.incident_updates.length, 1);
    assert.deepEqual(incident.incident_updates[0].affected_components,
                     [{ code: 'eu', name: 'EU parcels', old_status: 'operational', new_status: 'partial_outage' }]);
    assert.deepEqual(names(incident.components), ['EU parcels']);
    // Under way first, then the one next week (soonest first).
    assert.deepEqual(summary.scheduled_maintenances.map((m) => [m.id, m.status, m.impact]),
                     [[ids.active, 'in_progress', 'maintenance'], [ids.upcoming, 'scheduled', 'maintenance']]);
});

test('incidents.getAll: both incidents, newest first, with their updates newest first', async () => {
    const { page, incidents } = await api.incidents.getAll();
    expectPage(page);
    assert.deepEqual(incidents.map((i) => [i.id, i.status]), [[ids.open, 'identified'], [ids.resolved, 'resolved']]);
    const resolved = incidents[1];
    assert.equal(resolved.impact, 'critical');
    assert.ok(Date.parse(resolved.resolved_at) >= Date.parse(resolved.created_at));
    assert.deepEqual(resolved.incident_updates.map((u) => u.status), ['resolved', 'investigating']);
    assert.equal(resolved.incident_updates[0].body, 'The website is back. Sorry.');
    assert.deepEqual(resolved.incident_updates[0].affected_components,
                     [{ code: 'web', name: 'Website', old_status: 'major_outage', new_status: 'operational' }]);
    for (const i of incidents) for (const u of i.incident_updates) assert.equal(u.incident_id, i.id);
});

test('incidents.getUnresolved: only the open one', async () => {
    const { page, incidents } = await api.incidents.getUnresolved();
    expectPage(page);
    assert.deepEqual(incidents.map((i) => i.id), [ids.open]);
});

test('scheduledMaintenances.getUpcoming: the one not started yet, with its window', async () => {
    const { page, scheduled_maintenances: list } = await api.scheduledMaintenances.getUpcoming();
    expectPage(page);
    assert.deepEqual(list.map((m) => [m.id, m.name, m.status]), [[ids.upcoming, 'Website database upgrade', 'scheduled']]);
    assert.equal(Date.parse(list[0].scheduled_until) - Date.parse(list[0].scheduled_for), 60 * 60000);
    assert.deepEqual(names(list[0].components), ['Website']);
});

// statuspage.io 3.3.8 sends getActive and getAll to upcoming.json too (its Endpoints map them there), so through
// the client they answer what getUpcoming does; the same axios instance then reads the two paths they should have.
test('scheduledMaintenances.getActive and getAll, and the paths they miss', async () => {
    const upcoming = await api.scheduledMaintenances.getUpcoming();
    assert.deepEqual(await api.scheduledMaintenances.getActive(), upcoming);
    assert.deepEqual(await api.scheduledMaintenances.getAll(), upcoming);

    const active = (await sp.apiClient.get('/api/v2/scheduled-maintenances/active.json')).data;
    assert.deepEqual(active.scheduled_maintenances.map((m) => [m.id, m.status]), [[ids.active, 'in_progress']]);
    assert.deepEqual(active.scheduled_maintenances[0].incident_updates.map((u) => u.status), ['in_progress', 'scheduled']);
    const all = (await sp.apiClient.get('/api/v2/scheduled-maintenances.json')).data;
    assert.deepEqual(all.scheduled_maintenances.map((m) => m.id), [ids.upcoming, ids.active]);  // latest first
});

test('subscribers: not offered by the public API; the client gets a plain 404', async () => {
    await assert.rejects(api.subscribers.getSubscription('someone'), (e) => e.response?.status === 404);
});
