// Shared test helpers: serve the built page, launch Debian's Chromium through playwright-core,
// and run the native CLI.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WWW = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(WWW, '..');
export const ARTIFACTS = join(ROOT, 'artifacts');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Serves www/dist with `vite preview`; returns { url, stop }. */
export async function serve() {
  if (!existsSync(join(WWW, 'dist', 'index.html'))) throw new Error('www/dist is missing: run `npx vite build` first');
  const port = await freePort();
  const proc = spawn(join(WWW, 'node_modules', '.bin', 'vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: WWW,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      proc.kill();
      throw new Error('vite preview did not start');
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, stop: () => proc.kill() };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // playwright gives every launch a fresh, empty profile directory of its own
  });
}

/** Native CLI output for a scenario file, as parsed JSON. */
export function nativeJson(scenarioPath) {
  const bin = join(ROOT, 'target', 'release', 'ketasim');
  const out = existsSync(bin)
    ? execFileSync(bin, ['simulate', scenarioPath, '--format', 'json'], { maxBuffer: 1 << 28 })
    : execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'ketasim', '--', 'simulate', scenarioPath, '--format', 'json'], {
        cwd: ROOT,
        maxBuffer: 1 << 28,
      });
  return JSON.parse(out.toString());
}

export function fixture(name) {
  return join(ROOT, 'tests', 'fixtures', name);
}

export function readFixture(name) {
  return JSON.parse(readFileSync(fixture(name), 'utf8'));
}

/** Largest relative difference between two numeric arrays (absolute below 1e-300). */
export function maxRelDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-300);
    if (a[i] !== b[i]) m = Math.max(m, d);
  }
  return m;
}

/** A preset's scenario, from the native CLI. */
export function presetScenario(id) {
  const bin = join(ROOT, 'target', 'release', 'ketasim');
  const args = ['presets', id];
  const out = existsSync(bin)
    ? execFileSync(bin, args)
    : execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'ketasim', '--', ...args], { cwd: ROOT });
  return JSON.parse(out.toString());
}

/** The page's share-link hash for a state (the link format: base64url of the JSON). */
export function stateHash(scenario, view = {}, pins = []) {
  const json = JSON.stringify({ scenario, view: { preset: 'custom', unit: 'ng', session: 0, hidden: [], popOn: false, ...view }, pins });
  return '#s=' + Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a share-link hash back to `{scenario, view, pins}`. */
export function decodeHash(hash) {
  const s = new URLSearchParams(hash.replace(/^#/, '')).get('s');
  return JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
}

/** The native CLI's run of `scenario` (JSON on stdin): the oracle the page is compared with. */
export function cliSimulate(scenario) {
  const bin = join(ROOT, 'target', 'release', 'ketasim');
  return JSON.parse(execFileSync(bin, ['simulate', '-', '--format', 'json'], { input: JSON.stringify(scenario), maxBuffer: 1 << 28 }).toString());
}

/**
 * Opens `url` in a new browser context with console and page errors collected from the start
 * (and, with `csp`, Content-Security-Policy violations in `window.__csp`), then waits until
 * `ready` holds in the page (default: the first render). Returns { page, context, errors }.
 */
export async function openPage(browser, url, { viewport = { width: 1280, height: 720 }, csp = false, ready = () => window.__ketasim?.ready === true } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  if (csp) {
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
    });
  }
  await page.goto(url);
  await page.waitForFunction(ready, null, { timeout: 20000 }).catch(async (e) => {
    throw new Error(`${e.message}; page errors: ${errors.join(' | ')}; ${await page.evaluate(() => document.getElementById('err-general')?.textContent)}`);
  });
  return { page, context, errors };
}
