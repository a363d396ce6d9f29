// Issue 13 in Chromium: the Content-Security-Policy holds with zero violations while the page,
// its workers and the model panel are used; a worker whose WebAssembly traps is replaced and
// the page says so; a shared link with an unknown model or endpoint falls back with a message;
// a population with failing patients names them and draws the rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, WWW, presetScenario, readFixture, stateHash, openPage } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function open(hash = '') {
  return openPage(browser, server.url + hash, { csp: true });
}

const renders = (page) => page.evaluate(() => window.__ketasim.renders);

test('the Content-Security-Policy is in force and the page, its workers and the model panel cause zero violations', async (t) => {
  const html = readFileSync(join(WWW, 'dist', 'index.html'), 'utf8');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'"/);
  assert.doesNotMatch(html, /<style|style="|<script>(?!<\/script>)/);
  // pins (swatches), the timeline, the population, then a metabolite model (toggles)
  const sc = presetScenario('antidepressant_40min');
  const { page, context, errors } = await open(stateHash(sc, { popOn: true }, [presetScenario('antidepressant_1mgkg')]));
  t.after(() => context.close());
  await page.waitForFunction(() => window.__ketasim.populationRenders > 0, null, { timeout: 60000 });
  const n = await renders(page);
  await page.fill('#weight', '80');
  await page.waitForFunction((k) => window.__ketasim.renders > k, n);
  await page.click('#btn-model');
  await page.locator('#model-dialog[open]').waitFor();
  await page.keyboard.press('Escape');
  await page.click('#btn-png');
  await page.click('#btn-csv');
  await page.selectOption('#model', 'perez_ruixo2021');
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.model_id === 'perez_ruixo2021');
  await page.waitForTimeout(300);
  const violations = await page.evaluate(() => window.__csp);
  assert.deepEqual(violations, []);
  assert.deepEqual(errors.filter((e) => /Content Security Policy/i.test(e)), []);
  assert.deepEqual(errors, []);
  // the policy is really there: an inline style attribute is refused and reported
  await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
  await page.waitForFunction(() => window.__csp.length > 0);
  assert.match((await page.evaluate(() => window.__csp))[0], /^style-src/);
});

test('a worker whose WebAssembly traps is replaced, the page says so and keeps working', async (t) => {
  const { page, context } = await open(stateHash(readFixture('standard_infusion.json'), { popOn: true }));
  t.after(() => context.close());
  await page.waitForFunction(() => window.__ketasim.populationRenders > 0, null, { timeout: 60000 });
  // the page's engine
  const n = await renders(page);
  const trapped = await page.evaluate(() => window.__ketasim.trapEngine().then(() => 'no error', (e) => e.message));
  assert.match(trapped, /The simulation engine stopped \(RuntimeError: unreachable\) and was replaced by a fresh one/);
  assert.equal((await page.evaluate(() => window.__ketasim.replacements())).engine, 1);
  // the current scenario runs again on the fresh worker, and the page says what happened
  await page.waitForFunction((k) => window.__ketasim.renders > k, n);
  assert.match(await page.locator('#err-general').innerText(), /was replaced by a fresh one/);
  assert.equal(await page.evaluate(() => window.__ketasim.shown().current), true);
  const m = await renders(page);
  await page.fill('#weight', '90');
  await page.waitForFunction((k) => window.__ketasim.renders > k && window.__ketasim.shown().current, m);
  assert.equal(await page.evaluate(() => window.__ketasim.shown().result.scenario.patient.weight_kg), 90);
  // a population worker
  const p = await page.evaluate(() => window.__ketasim.populationRenders);
  const popTrapped = await page.evaluate(() => window.__ketasim.trapPopulation(0).then(() => 'no error', (e) => e.message));
  assert.match(popTrapped, /The population engine stopped \(RuntimeError: unreachable\) and was replaced by a fresh one/);
  await page.waitForFunction((k) => window.__ketasim.populationRenders > k, p, { timeout: 60000 });
  assert.equal((await page.evaluate(() => window.__ketasim.replacements())).population, 1);
  assert.match(await page.locator('#err-pop').innerText(), /was replaced by a fresh one/);
  await context.close();
});

test('a shared link with an unknown model or effect-site endpoint falls back to the default and says so', async (t) => {
  const base = readFixture('standard_infusion.json');
  for (const [patch, control, value, said] of [
    [{ model: 'nope2030' }, '#model', 'kamp2020', /The link's model 'nope2030' is not one of this version's models: showing .* instead/],
    [{ pd: { ke0_endpoint: 'telepathy' } }, '#ke0', 'subjective', /effect-site endpoint \(pd.ke0_endpoint\) 'telepathy'/],
    [{ patient: { weight_kg: 70, sex: 'alien' } }, '#sex', 'unspecified', /patient.sex 'alien' is not one of the allowed values/],
  ]) {
    const { page, context, errors } = await open(stateHash({ ...base, ...patch }));
    t.after(() => context.close());
    assert.equal(await page.inputValue(control), value);
    assert.match(await page.locator('#err-general').innerText(), said);
    assert.equal(await page.evaluate(() => window.__ketasim.shown()?.current), true);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('a population whose patients partly fail names them and draws the others', async (t) => {
  const sc = {
    patient: { weight_kg: 70 },
    regimen: [{ dose_mg: 400 }],
    horizon_min: 240,
    output_step_min: 60,
    pd: { binding: { kind: 'kinetic', half_time_min: 0.5 } },
    // Dopri5 with a step budget: the lightest patients' high concentrations make binding stiff
    solver: { method: 'dopri5', max_steps: 1000 },
    population: { size: 40, seed: 3, weight_kg: { uniform: { min: 5, max: 250 } } },
  };
  const { page, context } = await open(stateHash(sc, { popOn: true }));
  t.after(() => context.close());
  await page.waitForFunction(() => window.__ketasim.populationRenders > 0, null, { timeout: 60000 });
  const text = await page.locator('#pop-panel .pop-failed').innerText();
  assert.match(text, /^\d+ of 40 virtual patients could not be simulated and are left out: the bands and distributions come from the other \d+\. The first, patient \d+ \(.* kg\): .*raise solver\.max_steps \(now 1000\)/);
  const failed = await page.evaluate(() => window.__ketasim.population().bands.failed.length);
  assert.ok(failed > 0 && failed < 40);
  await context.close();
});
