// The page is a faithful view of the engine: what it shows is what the native CLI computes for
// the scenario in its share link, after any sequence of clicks and typing. Headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, ROOT, decodeHash, presetScenario, cliSimulate, openPage } from './helpers.mjs';

let server;
let browser;
const sig3 = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });
const num3 = (x) => sig3.format(x).replace(/,/g, '\u202f');

const cli = cliSimulate;

before(async () => {
  execFileSync('cargo', ['build', '--quiet', '--release', '--bin', 'ketasim'], { cwd: ROOT, stdio: 'inherit' });
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function open(hash = '') {
  return openPage(browser, server.url + hash);
}

/** Waits until the page shows a run of exactly the current inputs. */
const settle = (page) => page.waitForFunction(() => window.__ketasim.shown()?.current === true, null, { timeout: 20000 });

/** The page's readouts and timeline equal the CLI's for the scenario in the share link. */
async function checkAgainstCli(page, what) {
  await settle(page);
  const hash = await page.evaluate(() => location.hash);
  const linked = decodeHash(hash);
  const shown = await page.evaluate(() => {
    const s = window.__ketasim.shown();
    return { scenario: s.result.scenario, metrics: s.result.metrics, sessions: s.result.sessions, unit: window.__ketasim.state().view.unit };
  });
  const native = cli(linked.scenario);
  // the run on screen is of the linked scenario, and equals the CLI's
  assert.deepEqual(shown.scenario, native.scenario, `${what}: scenario`);
  assert.deepEqual(shown.sessions, native.sessions, `${what}: session timeline`);
  const a = native.metrics.drug;
  assert.equal(shown.metrics.drug.cmax_ng_per_ml, a.cmax_ng_per_ml, `${what}: Cmax`);
  const cards = await page.locator('#readouts dd[data-k]').allInnerTexts();
  const unitNg = shown.unit === 'ng';
  assert.equal(cards[0], unitNg ? `${num3(a.cmax_ng_per_ml)} ng/mL` : `${num3(a.cmax_um)} µM`, `${what}: Cmax card`);
  assert.equal(cards[1], unitNg ? `${num3(a.ce_max_ng_per_ml)} ng/mL` : `${num3(a.ce_max_um)} µM`, `${what}: Ce card`);
  assert.equal(cards[4], `${(native.metrics.occupancy_max * 100).toFixed(0)} %`, `${what}: occupancy card`);
  // the illustrative vitals: the engine's curve choice and peaks, drawn as the chart says
  const vitals = (r) => r.monitoring.vitals.map((v) => ({ sign: v.sign, mode: v.mode, peak: v.peak_change, at: v.peak_at_min }));
  const shownVitals = await page.evaluate(() => window.__ketasim.shown().result.monitoring.vitals.map((v) => ({ sign: v.sign, mode: v.mode, peak: v.peak_change, at: v.peak_at_min })));
  assert.deepEqual(shownVitals, vitals(native), `${what}: vitals`);
  assert.equal(await page.getAttribute('#chart-vitals', 'data-modes'), native.monitoring.vitals.map((v) => `${v.sign}:${v.mode}`).join(' '), `${what}: vitals chart`);
  // the controls show the scenario that was run
  assert.equal(Number(await page.inputValue('#weight')), native.scenario.patient.weight_kg, `${what}: weight control`);
  assert.equal(await page.inputValue('#model'), native.scenario.model, `${what}: model control`);
  assert.equal(await page.inputValue('#route'), native.scenario.regimen[0].route, `${what}: route control`);
  assert.equal(await page.locator('#results.stale').count(), 0, `${what}: not stale`);
  return native;
}

test('every preset after every model: the page runs the preset’s own scenario, and its Cmax card is the CLI’s', async () => {
  const { page, context, errors } = await open();
  const presets = await page.evaluate(() => [...document.querySelectorAll('#presets button')].map((b) => b.dataset.id));
  const models = await page.evaluate(() => [...document.querySelectorAll('#model option')].map((o) => o.value));
  const want = Object.fromEntries(presets.map((id) => [id, cli(presetScenario(id))]));
  let checked = 0;
  const mismatches = [];
  for (const m of models) {
    for (const p of presets) {
      await page.click('#presets button[data-id="antidepressant_40min"]');
      await settle(page);
      await page.selectOption('#model', m);
      await settle(page);
      await page.click(`#presets button[data-id="${p}"]`);
      await settle(page);
      const s = await page.evaluate(() => window.__ketasim.shown().result);
      const w = want[p];
      const card = (await page.locator('#readouts dd').first().innerText()).trim();
      checked++;
      if (
        s.scenario.model !== w.scenario.model ||
        JSON.stringify(s.scenario.regimen) !== JSON.stringify(w.scenario.regimen) ||
        s.metrics.drug.cmax_ng_per_ml !== w.metrics.drug.cmax_ng_per_ml ||
        card !== `${num3(w.metrics.drug.cmax_ng_per_ml)} ng/mL`
      ) {
        mismatches.push(`${m} → ${p}: ${s.scenario.model} ${card}`);
      }
    }
  }
  console.log(JSON.stringify({ presetClicksChecked: checked, mismatches: mismatches.length }));
  assert.deepEqual(mismatches, []);
  assert.equal(checked, presets.length * models.length);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Seeded PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('state machine: random clicks and fast typing, then the page equals the CLI run of its own share link', async () => {
  const { page, context, errors } = await open();
  const presets = await page.evaluate(() => [...document.querySelectorAll('#presets button')].map((b) => b.dataset.id));
  const models = await page.evaluate(() => [...document.querySelectorAll('#model option')].map((o) => o.value));
  const SEQUENCES = 14;
  const ACTIONS = 8;
  let actions = 0;
  for (let seq = 0; seq < SEQUENCES; seq++) {
    const r = rng(1000 + seq);
    const pick = (xs) => xs[Math.floor(r() * xs.length)];
    const log = [];
    for (let k = 0; k < ACTIONS; k++) {
      const kind = pick(['preset', 'model', 'route', 'weight', 'dose', 'nonsense', 'unit', 'pop', 'pin', 'duration', 'addstep', 'rmstep', 'span', 'clearance']);
      log.push(kind);
      actions++;
      switch (kind) {
        case 'preset':
          await page.click(`#presets button[data-id="${pick(presets)}"]`);
          break;
        case 'model':
          await page.selectOption('#model', pick(models));
          await page.waitForTimeout(30); // the engine adapts the regimen (a round trip)
          break;
        case 'route': {
          const routes = await page.evaluate(() => [...document.querySelectorAll('#route option')].map((o) => o.value));
          await page.selectOption('#route', pick(routes));
          await page.waitForTimeout(30);
          break;
        }
        case 'weight':
          await page.locator('#weight').fill('');
          await page.locator('#weight').pressSequentially(String(Math.round(40 + r() * 80)), { delay: 0 });
          break;
        case 'dose': {
          if ((await page.locator('#dose').count()) === 0) {
            // a target-controlled infusion first: its target instead
            if (await page.locator('#tci-value').count()) {
              await page.locator('#tci-value').fill('');
              await page.locator('#tci-value').pressSequentially(String(20 + Math.floor(r() * 60)), { delay: 0 });
            }
            break;
          }
          const unit = await page.locator('#dose-unit').innerText();
          const v = unit.startsWith('devices') ? String(1 + Math.floor(r() * 3)) : (0.1 + Math.round(r() * 20) / 10).toFixed(1);
          await page.locator('#dose').fill('');
          await page.locator('#dose').pressSequentially(v, { delay: 0 });
          break;
        }
        case 'nonsense':
          // typed, seen invalid, then corrected: the page must not show the invalid state as current
          await page.locator('#weight').fill('');
          assert.equal(await page.locator('#results.stale').count(), 1, 'an empty field marks the results stale');
          await page.locator('#weight').pressSequentially('70', { delay: 0 });
          break;
        case 'unit':
          await page.click(`input[name=unit][value=${pick(['ng', 'um'])}]`);
          break;
        case 'pop':
          await page.click('#pop-on');
          break;
        case 'pin':
          await settle(page);
          await page.click('#btn-pin');
          break;
        case 'duration':
          if (await page.locator('#duration').count()) {
            await page.locator('#duration').fill('');
            await page.locator('#duration').pressSequentially(String(10 + Math.floor(r() * 80)), { delay: 0 });
          }
          break;
        case 'addstep':
          // fast: no waiting between adding and the next action
          await page.click(pick(['#add-bolus', '#add-infusion', '#add-tci']));
          break;
        case 'rmstep': {
          const n = await page.locator('button[data-remove-step]').count();
          if (n > 1) await page.click(`button[data-remove-step="${Math.floor(r() * n)}"]`);
          break;
        }
        case 'span': {
          const spans = await page.evaluate(() => [...document.querySelectorAll('#span option')].map((o) => o.value).filter(Boolean));
          await page.selectOption('#span', pick(spans));
          await page.waitForTimeout(30); // the engine chooses the horizon (a round trip)
          break;
        }
        case 'clearance':
          await page.locator('#clearance').fill('');
          await page.locator('#clearance').pressSequentially(pick(['0.5', '2', '1', 'x']), { delay: 0 });
          break;
      }
    }
    // an input the engine rejects (e.g. a dose beyond a device count) is shown as such; fix by a preset
    const ok = await page
      .waitForFunction(() => window.__ketasim.shown()?.current === true, null, { timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (!ok) {
      assert.equal(await page.locator('#results.stale').count(), 1, `sequence ${seq} (${log}): not current, so stale`);
      await page.locator('#clearance').fill('1'); // 'x' typed in the clearance stays an error until corrected
      assert.notEqual((await page.locator('.invalid .err, #err-general').allInnerTexts()).join('').trim(), '', `sequence ${seq}: a message says why`);
      await page.click(`#presets button[data-id="${pick(presets)}"]`);
    }
    await checkAgainstCli(page, `sequence ${seq} (${log.join(', ')})`);
  }
  // typed faster than the typing pause: "7" (its run shown), then "70" and at once "" (both in
  // one task). The 70 passed through the box and is never run: the page shows the run of the
  // scenario as it stands (7 kg), not current, with the error. (Before the typing pause it ran
  // 70 and showed it: a value the user never settled on.)
  await page.click('#presets button[data-id="antidepressant_40min"]');
  await page.locator('#weight').fill('55');
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.scenario.patient.weight_kg === 55, null, { timeout: 20000 });
  await page.locator('#weight').fill('');
  await page.locator('#weight').pressSequentially('7', { delay: 0 });
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.scenario.patient.weight_kg === 7, null, { timeout: 20000 });
  await page.evaluate(() => {
    const w = document.getElementById('weight');
    w.value = '70';
    w.dispatchEvent(new Event('input', { bubbles: true }));
    w.value = '';
    w.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.locator('.invalid .err').filter({ hasText: /patient\.weight_kg: empty/ }).waitFor({ timeout: 20000 });
  assert.equal(await page.evaluate(() => window.__ketasim.shown().result.scenario.patient.weight_kg), 7, 'the 70 on the way was not run');
  assert.equal(await page.evaluate(() => window.__ketasim.shown().current), false, 'the run is not current while the box holds an error');
  assert.equal(await page.locator('#results.stale').count(), 1);
  assert.ok(await page.evaluate(() => JSON.stringify(window.__ketasim.shown().result.scenario) === JSON.stringify(window.__ketasim.state().scenario)), 'the run shown is of the scenario as it stands');
  // and typed like a person: "7", then "70e" (text a number box cannot hold): neither 7 nor 70 runs
  await page.locator('#weight').fill('55');
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.scenario.patient.weight_kg === 55, null, { timeout: 20000 });
  await page.locator('#weight').fill('');
  await page.locator('#weight').pressSequentially('70e', { delay: 0 });
  await page.locator('.invalid .err').filter({ hasText: /not a number/ }).waitFor({ timeout: 20000 });
  assert.equal(await page.evaluate(() => window.__ketasim.shown().result.scenario.patient.weight_kg), 55);
  await page.locator('#weight').fill('70');
  await checkAgainstCli(page, 'after the fast typing');
  console.log(JSON.stringify({ sequences: SEQUENCES, actions, mismatches: 0 }));
  assert.deepEqual(errors, []);
  await context.close();
});

test('offline after load: switching the population on works or says why, never silence', async () => {
  const own = await serve();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(own.url);
  await page.waitForFunction(() => window.__ketasim?.ready === true, null, { timeout: 20000 });
  own.stop();
  await context.setOffline(true);
  await page.click('#pop-on');
  await page.waitForFunction(
    () => window.__ketasim.populationRenders > 0 || document.getElementById('err-pop').textContent.trim() !== '',
    null,
    { timeout: 20000 },
  );
  const msg = await page.locator('#err-pop').innerText();
  if (!(await page.evaluate(() => window.__ketasim.populationRenders > 0))) assert.match(msg, /could not be loaded/);
  // the single run still works offline (its worker was loaded)
  await page.fill('#weight', '80');
  await settle(page);
  await context.close();
});

test('TypeScript holds no pharmacological constant, limit or unit conversion', () => {
  const src = join(ROOT, 'www', 'src');
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) {
        if (!['pkg', 'pkg-pop', 'gen'].includes(f)) walk(p);
      } else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(src);
  // molecular weights, the salt factor, the device size, the engine's limits and defaults (the
  // patient's covariates: the engine fills in its own, in the run's scenario)
  const forbidden = [/237\.7/, /223\.7/, /239\.7/, /274\.2/, /0\.867/, /259\s?200/, /\b20\s?000\b/, /\b100\s?000\b/, /mg_per_device\s*\*/, /\*\s*\w*\.mg_per_device/, /\bmw\b|mwGPerMol|mw_g_per_mol/, /\/\s*100\b/, /recovery_threshold_ng_per_ml\s*\?\?/, /\b(age_years|sex|race)\s*\?\?/];
  const hits = [];
  for (const f of files) {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((l, i) => {
      if (/^\s*(\/\/|\*)/.test(l)) return; // comments may explain
      for (const re of forbidden) if (re.test(l)) hits.push(`${f.slice(src.length + 1)}:${i + 1}: ${l.trim()}`);
    });
  }
  // the page's static text states no default either (the vitals' pre-dose baseline)
  readFileSync(join(ROOT, 'www', 'index.html'), 'utf8').split('\n').forEach((l, i) => {
    if (/\b\d{2,3}\/\d{2,3} mmHg|\d+ beats\/min/.test(l)) hits.push(`index.html:${i + 1}: ${l.trim()}`);
  });
  assert.deepEqual(hits, [], 'ask the engine instead');
});

test('regressions from a newcomer’s tryout: no stuck stale state, no silent defaults, pins of a link, model change then preset', async () => {
  const { page, context, errors } = await open();
  // a typing error in a control that then disappears (infusion → bolus) does not keep the page stale
  await page.locator('#duration').fill('');
  await page.locator('#results.stale').waitFor();
  await page.selectOption('select[data-field="regimen[0].kind"]', 'bolus');
  await settle(page);
  // text a number box cannot hold is an error, not the default
  await page.locator('#recovery').focus();
  await page.locator('#recovery').pressSequentially('--');
  await page.locator('#results.stale').waitFor();
  assert.match(await page.locator('.invalid .err').first().innerText(), /not a number/);
  await page.locator('#recovery').fill('');
  await settle(page);
  // a whole-number field rejects negatives itself (beside the control)
  await page.locator('#pop-seed').fill('-5');
  // (once typing pauses: ui/typing.ts)
  await page.locator('#err-pop').filter({ hasText: /whole number of 0 or more/ }).waitFor();
  await page.locator('#pop-seed').fill('1');
  await settle(page);
  // a model change whose answer is still on its way never overrides a preset clicked meanwhile
  await page.evaluate(() => {
    const m = document.getElementById('model');
    m.value = 'racemic_enantiomers';
    m.dispatchEvent(new Event('change'));
    document.querySelector('#presets button[data-id="spravato_56"]').click();
  });
  await settle(page);
  await page.waitForTimeout(200);
  await settle(page);
  assert.equal((await page.evaluate(() => window.__ketasim.shown().result.scenario.model)), 'perez_ruixo2021');
  // a link whose first pin cannot run keeps the other pin, and says so (an unknown model
  // falls back to the default instead: tests/hardening.test.mjs)
  const good = presetScenario('antidepressant_1mgkg');
  const bad = { ...presetScenario('antidepressant_40min'), patient: { weight_kg: 0 } };
  await page.goto(server.url + '#s=' + Buffer.from(JSON.stringify({ scenario: presetScenario('antidepressant_40min'), view: { preset: 'antidepressant_40min' }, pins: [bad, good] })).toString('base64url'));
  await page.reload();
  await page.waitForFunction(() => window.__ketasim?.ready === true);
  await settle(page);
  const pins = await page.evaluate(() => window.__ketasim.state().pins);
  assert.equal(pins.length, 1);
  assert.equal(pins[0].regimen[0].dose_mg_per_kg, 1);
  assert.match(await page.locator('#err-general').innerText(), /pinned run .* left out/);
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await context.close();
});
