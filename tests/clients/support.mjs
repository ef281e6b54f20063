// Shared by the client tests: a real `amends serve` on a free 127.0.0.1 port over a fresh SQLite file, a staff token
// made with `amends user add`, and the staff JSON API to build a status page with. Nothing here is mocked.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));

// The amends binary under test: AMENDS_BINARY (ctest sets it to the target just built).
export function amendsBinary() {
    const binary = process.env.AMENDS_BINARY;
    if (!binary || !existsSync(binary)) throw new Error(`AMENDS_BINARY must name the built amends binary (got ${binary})`);
    return binary;
}

// A port the kernel just handed out on 127.0.0.1 and released.
export function freePort() {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Amends {
    // Starts `amends serve` on a fresh database with one token of `role` (agent unless told); `name` titles the
    // status page, and public_url is the server's own address. `files` are written into the server's directory
    // first and `config` (top-level TOML keys, given that directory) heads its config file. Call stop() when done.
    static async start({ name = 'Acme Parcels', role = 'agent', files = {}, config: extra = () => '' } = {}) {
        const a = new Amends();
        a.dir = mkdtempSync(join(tmpdir(), 'amends-clients-'));
        a.db = join(a.dir, 'amends.db');
        const binary = amendsBinary();
        const user = spawnSync(binary, ['user', 'add', 'clients', '--role', role, '--db', a.db], { encoding: 'utf8' });
        if (user.status !== 0) throw new Error(`amends user add failed (${user.status}): ${user.stderr}`);
        a.token = user.stdout.trim().split('\n').pop();
        if (!a.token.startsWith('amd_')) throw new Error(`no token in: ${user.stdout}`);
        a.port = await freePort();
        a.origin = `http://127.0.0.1:${a.port}`;
        a.name = name;
        const config = join(a.dir, 'amends.toml');
        for (const [file, content] of Object.entries(files)) writeFileSync(join(a.dir, file), content);
        writeFileSync(config, `${extra(a.dir)}public_url = "${a.origin}"\n[status]\nname = ${JSON.stringify(name)}\n`);
        const log = openSync(join(a.dir, 'server.log'), 'w');
        a.child = spawn(binary, ['serve', '--config', config, '--db', a.db, '--listen', `127.0.0.1:${a.port}`,
                                 '--no-scheduler'],
                        { stdio: ['ignore', log, log] });
        a.exited = new Promise((resolve) => a.child.on('exit', (code, signal) => resolve({ code, signal })));
        for (let i = 0; i < 600; ++i) {  // bounded: 30 s for an ASan build to come up
            try {
                const r = await fetch(`${a.origin}/healthz`);
                if (r.ok) return a;
            } catch { /* not listening yet */ }
            if (a.child.exitCode !== null) break;
            await sleep(50);
        }
        await a.stop();
        throw new Error('amends serve did not start');
    }

    async stop() {
        if (this.child && this.child.exitCode === null) {
            this.child.kill('SIGTERM');
            await this.exited;
        }
        if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    }

    // POST/PATCH to the staff API; throws unless the answer is the expected status. Returns the parsed body.
    async send(method, path, body, expect) {
        const r = await fetch(this.origin + path, {
            method,
            headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
        });
        const text = await r.text();
        if (r.status !== expect) throw new Error(`${method} ${path} -> ${r.status} ${text}`);
        return JSON.parse(text);
    }
    post(path, body) { return this.send('POST', path, body, 201); }
    patch(path, body) { return this.send('PATCH', path, body, 200); }

    async get(path) {
        const r = await fetch(this.origin + path);
        return { status: r.status, headers: r.headers, body: await r.text() };
    }
}

// An ISO 8601 instant `minutes` from now.
export function inMinutes(minutes) {
    return new Date(Date.now() + minutes * 60000).toISOString();
}
