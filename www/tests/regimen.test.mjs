// The regimen editor, target-controlled infusion, the CSHT chart, the time span, the log axis and
// the what-if clearance, end to end in headless Chromium: what the page shows after clicks and
// typing is what the native CLI computes for the scenario in its share link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, ROOT, ARTIFACTS, decodeHash, maxRelDiff, cliSimulate, openPage } from './helpers.mjs';

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

async function open(hash = '', viewport = { width: 1280, height: 720 }) {
  return openPage(browser, server.url + hash, { viewport });
}

/** Waits until the page shows a run of exactly the current inputs. */
const settle = (page) => page.waitForFunction(() => window.__ketasim.shown()?.current === true, null, { timeout: 20000 });

/** The scenario in the page's share link. */
const linked = async (page) => decodeHash(await page.evaluate(() => location.hash));

/** The shown result as plain JSON (typed arrays as arrays). */
const shownResult = (page) =>
  page.evaluate(() => {
    const r = window.__ketasim.shown().result;
    return JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v)));
  });

/** The page's run equals the CLI's run of the scenario in the share link. */
async function equalsCli(page, what) {
  await settle(page);
  const link = await linked(page);
  const shown = await shownResult(page);
  const native = cli(link.scenario);
  assert.deepEqual(shown.scenario, native.scenario, `${what}: scenario`);
  assert.deepEqual(shown.sessions, native.sessions, `${what}: sessions`);
  assert.equal(shown.metrics.drug.cmax_ng_per_ml, native.metrics.drug.cmax_ng_per_ml, `${what}: Cmax`);
  assert.equal(shown.metrics.administered_mg, native.metrics.administered_mg, `${what}: dose`);
  assert.ok(maxRelDiff(shown.drug_readout.cp_ng_per_ml, native.drug_readout.cp_ng_per_ml) <= 1e-12, `${what}: Cp`);
  assert.ok(maxRelDiff(shown.drug_readout.ce_ng_per_ml, native.drug_readout.ce_ng_per_ml) <= 1e-12, `${what}: Ce`);
  const card = await page.locator('#readouts dd').first().innerText();
  assert.equal(card, `${num3(native.metrics.drug.cmax_ng_per_ml)} ng/mL`, `${what}: Cmax card`);
  assert.equal(await page.locator('#results.stale').count(), 0, `${what}: not stale`);
  return { link, shown, native };
}

test('a bolus + infusion regimen built in the editor by clicking and typing equals the CLI run of its link', async () => {
  const { page, context, errors } = await open();
  // the default: one 0.5 mg/kg infusion over 40 min; add a loading bolus and a second infusion
  await page.click('#add-bolus');
  await settle(page);
  await page.fill('#dose-1', '0.3');
  await page.click('#add-infusion');
  await settle(page);
  await page.fill('#start-2', '120');
  await page.fill('#dose-2', '0.25');
  await page.fill('#duration-2', '30');
  await page.fill('#start-0', '5');
  await page.fill('#duration', '60');
  const { link } = await equalsCli(page, 'bolus + two infusions');
  const reg = link.scenario.regimen;
  assert.equal(reg.length, 3);
  assert.deepEqual(
    reg.map((it) => [it.kind, it.dose_mg_per_kg, it.duration_min ?? null, it.schedule.at_min[0]]),
    [
      ['infusion', 0.5, 60, 5],
      ['bolus', 0.3, null, 0],
      ['infusion', 0.25, 30, 120],
    ],
  );
  // the link restores the editor: the same steps with the same values
  const b = await open(new URL(page.url()).hash);
  assert.deepEqual((await b.page.evaluate(() => window.__ketasim.state().scenario)).regimen, reg);
  assert.equal(await b.page.locator('#regimen li.item').count(), 3);
  assert.deepEqual(
    [await b.page.inputValue('#start-0'), await b.page.inputValue('#duration'), await b.page.inputValue('#dose-1'), await b.page.inputValue('#start-2'), await b.page.inputValue('#duration-2')],
    ['5', '60', '0.3', '120', '30'],
  );
  await b.context.close();
  // each step names itself; the second infusion becomes a TCI step and back, keeping its start
  assert.match(await page.locator('#step-title-1').innerText(), /Step 2 · Intravenous.*bolus/);
  await page.selectOption('#kind-2', 'tci');
  await settle(page);
  assert.equal((await linked(page)).scenario.regimen[2].kind, 'tci');
  assert.equal((await linked(page)).scenario.regimen[2].schedule.at_min[0], 120);
  await page.selectOption('#kind-2', 'infusion');
  await equalsCli(page, 'back to an infusion');
  // an error names its step and stays beside it
  await page.fill('#dose-1', '50');
  await page.locator('li[data-step="1"] .err').filter({ hasText: 'regimen[1].dose_mg_per_kg = 50 is out of range' }).first().waitFor();
  assert.equal(await page.locator('#results.stale').count(), 1);
  await page.fill('#dose-1', '0.3');
  await settle(page);
  // removing a step
  await page.click('button[data-remove-step="1"]');
  const after = await equalsCli(page, 'bolus removed');
  assert.equal(after.link.scenario.regimen.length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the TCI preset: pump chart, target line, and readouts equal to the engine’s metrics.tci', async () => {
  const { page, context, errors } = await open('#p=tci_effect_site');
  const { native } = await equalsCli(page, 'tci preset');
  assert.equal(await page.locator('#pump-wrap').isVisible(), true);
  assert.equal(await page.locator('#chart-pump .uplot').count(), 1);
  assert.match(await page.locator('#chart-pump .u-legend').innerText(), /mg\/h/);
  const o = native.metrics.tci[0];
  const k = (key) => page.locator(`[data-k="${key}"]`).innerText();
  assert.equal(await k('tci-dose-0'), `${num3(o.dose_mg)} mg`);
  assert.equal(await k('tci-volume-0'), `${num3(o.volume_ml)} mL at ${num3(native.pumps[0].syringe_mg_per_ml)} mg/mL`);
  assert.equal(await k('tci-first-rate-0'), `${num3(o.first_rate_mg_per_h)} mg/h`);
  assert.match(await k('tci-first-rate-ml-0'), new RegExp(`^${num3(native.pumps[0].segments[0].rate_ml_per_h).replace(/\s/g, '\\s')} mL/h`));
  assert.equal(await k('tci-ttt-0-0'), `${num3(o.steps[0].time_to_target_min)} min`);
  assert.equal(await k('tci-overshoot-0-0'), `to reach · overshoot ${o.steps[0].overshoot_percent.toFixed(1)} %`);
  assert.match(await page.locator('#tci-readouts').innerText(), /effect site \(Shafer & Gregg 1992\)/);
  // the page's metrics.tci are the CLI's (same controller in wasm and natively)
  const shown = await shownResult(page);
  assert.equal(shown.metrics.tci.length, 1);
  assert.equal(shown.metrics.tci[0].dose_mg, o.dose_mg);
  assert.deepEqual(shown.metrics.tci[0].steps, o.steps);
  assert.match(await page.locator('#timeline').innerText(), /TCI pump[\s\S]*target effect site 150 ng\/mL/);
  await page.screenshot({ path: join(ARTIFACTS, 'tci-1280x720.png') });
  // an occupancy target: the value moves to the % field; implied Ce shown, labelled model-derived
  await page.selectOption('#tci-target', 'occupancy');
  const occ = await equalsCli(page, 'occupancy target');
  assert.equal(occ.link.scenario.regimen[0].target, 'occupancy');
  assert.equal(occ.link.scenario.regimen[0].target_ng_per_ml, undefined);
  assert.equal(typeof occ.link.scenario.regimen[0].target_percent, 'number');
  assert.match(await page.locator('label[for="tci-value"]').innerText(), /%, model-derived/);
  assert.equal(await k('tci-implied-ce-0'), `${num3(occ.native.metrics.tci[0].implied_ce_ng_per_ml)} ng/mL`);
  assert.match(await page.locator('#tci-readouts').innerText(), /model-derived/);
  // the population note says every virtual patient gets the same pump
  await page.check('#pop-on');
  await page.waitForFunction(() => window.__ketasim.populationRenders > 0, null, { timeout: 30000 });
  assert.match(await page.locator('#pop-panel').innerText(), /same pump profile/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a target change added in the editor: the pump stops until the lower target is reached', async () => {
  const { page, context, errors } = await open('#p=tci_effect_site');
  await page.click('button[data-add-tstep="0"]');
  await settle(page);
  // halfway through the pump's run, at the current target: then lowered
  assert.equal(await page.inputValue('#tstep-at-0-0'), '30');
  await page.fill('#tstep-value-0-0', '80');
  const { link, native } = await equalsCli(page, 'target change');
  assert.deepEqual(link.scenario.regimen[0].target_steps, [{ at_min: 30, target_ng_per_ml: 80 }]);
  const steps = native.metrics.tci[0].steps;
  assert.equal(steps.length, 2);
  assert.equal(steps[1].target, 80);
  assert.equal(await page.locator('[data-k="tci-ttt-0-1"]').innerText(), `${num3(steps[1].time_to_target_min)} min`);
  const shown = await shownResult(page);
  const i31 = shown.t_min.indexOf(31);
  assert.equal(shown.pump_rate_mg_per_h[i31], 0, 'the pump stops after the target is lowered');
  // a change after the end of the pump's run: the engine's message, beside that change
  await page.fill('#tstep-at-0-0', '70');
  await page.locator('li.tstep .err').filter({ hasText: 'target_steps[0]' }).waitFor();
  assert.equal(await page.locator('#results.stale').count(), 1);
  // nonsense typed: said beside the field, the scenario keeps its last value
  await page.locator('#tstep-value-0-0').fill('');
  await page.locator('#tstep-value-0-0').pressSequentially('--');
  await page.locator('li.tstep .err').filter({ hasText: /not a number/ }).waitFor();
  await page.fill('#tstep-value-0-0', '80');
  await page.fill('#tstep-at-0-0', '30');
  await equalsCli(page, 'target change corrected');
  // pump settings: a lower maximum rate (in the collapsed detail), a bad one opens it with the message
  await page.click('details.pump summary');
  await page.fill('#pump-max-0', '100');
  const slow = await equalsCli(page, 'slower pump');
  assert.ok(slow.native.metrics.tci[0].first_rate_mg_per_h <= 100 * 10 + 1e-9);
  await page.click('details.pump summary'); // closed again
  await page.evaluate(() => {
    const el = document.getElementById('pump-max-0');
    el.value = '99999';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.locator('details.pump[open] .err').filter({ hasText: 'max_rate_ml_per_h' }).waitFor();
  await page.fill('#pump-max-0', '');
  await settle(page);
  // removing the change
  await page.click('button[data-remove-tstep="0:0"]');
  const back = await equalsCli(page, 'target change removed');
  assert.equal(back.link.scenario.regimen[0].target_steps, undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the time span: the engine sets horizon and step; the induction bolus’s recovery comes into view', async () => {
  const { page, context, errors } = await open('#p=induction_bolus');
  // on Fanta/Otto 2021 (S-ketamine) the effect site is still above the threshold at 4 h
  await page.selectOption('#model', 'fanta2015');
  await settle(page);
  assert.match(await page.locator('#timeline').innerText(), /beyond the simulated time/);
  assert.match(await page.locator('#span option:checked').innerText(), /as set/);
  await page.selectOption('#span', '24h');
  const { link, shown } = await equalsCli(page, '24 h');
  assert.equal(link.scenario.horizon_min, 1440);
  assert.equal(shown.t_min[shown.t_min.length - 1], 1440);
  assert.equal(link.view.span, '24h');
  assert.doesNotMatch(await page.locator('#timeline').innerText(), /beyond the simulated time/);
  assert.match(await page.locator('#timeline').innerText(), /Below 70 ng\/mL/);
  assert.equal(await page.inputValue('#span'), '24h');
  // the whole course of a six-infusion course: to a day after the last infusion
  await page.click('#presets button[data-id="course_6_infusions"]');
  await settle(page);
  await page.selectOption('#span', 'course');
  const course = await equalsCli(page, 'whole course');
  assert.ok(course.link.scenario.horizon_min > 11 * 1440 + 600 + 40);
  assert.equal(await page.inputValue('#span'), 'course');
  await page.selectOption('#span', '2h');
  const two = await equalsCli(page, '2 h');
  assert.equal(two.link.scenario.horizon_min, 120);
  assert.deepEqual(errors, []);
  await context.close();
});

test('low concentrations fill the axis; the log toggle is a view option in the link', async () => {
  const { page, context, errors } = await open('#p=oral_2_5_mgkg');
  const { native } = await equalsCli(page, 'oral');
  // the dissociative band is above this route's curves: the legend says so, the axis fits the data
  const [lo, hi] = await page.evaluate(() => window.__ketasim.concAxis());
  assert.equal(lo, 0);
  assert.ok(hi >= native.metrics.drug.cmax_ng_per_ml && hi < 1.1 * native.metrics.drug.cmax_ng_per_ml, `axis top ${hi}`);
  assert.match(await page.locator('#band-legend li[data-band="dissociative"]').innerText(), /outside this chart’s range/);
  assert.equal(await page.locator('#band-legend li[data-band="analgesic"] .off-note').count(), 0);
  await page.click('#presets button[data-id="spravato_84"]');
  await settle(page);
  await page.check('#log-y');
  await page.waitForFunction(() => window.__ketasim.state().view.logY === true);
  assert.match(await page.locator('#chart-conc .u-title').innerText(), /log scale/);
  assert.equal((await linked(page)).view.logY, true);
  const [llo, lhi] = await page.evaluate(() => window.__ketasim.concAxis());
  assert.ok(llo > 0 && Math.log10(lhi / llo) <= 4 && Number.isInteger(Math.log10(llo)), `log axis ${llo}–${lhi}`);
  await page.screenshot({ path: join(ARTIFACTS, 'spravato-log-1280x720.png') });
  const url = page.url();
  const b = await open(new URL(url).hash);
  assert.equal(await b.page.isChecked('#log-y'), true);
  assert.match(await b.page.locator('#chart-conc .u-title').innerText(), /log scale/);
  await b.context.close();
  await page.uncheck('#log-y');
  await page.waitForFunction(() => window.__ketasim.state().view.logY === false);
  assert.doesNotMatch(await page.locator('#chart-conc .u-title').innerText(), /log scale/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the what-if clearance multiplier: limits from the engine, in the link, the CSV and the PNG label', async () => {
  const { page, context, errors } = await open();
  assert.equal(await page.getAttribute('#clearance', 'min'), '0.25');
  assert.equal(await page.getAttribute('#clearance', 'max'), '4');
  assert.equal(await page.inputValue('#clearance'), '1');
  assert.match(await page.locator('#clearance-ctl').innerText(), /ASSUMPTION[\s\S]*illustrative, e\.g\. impaired liver function or an interacting drug/i);
  const before = (await shownResult(page)).metrics.drug.auc_0_t_ng_h_per_ml;
  await page.fill('#clearance', '0.5');
  const { link, native } = await equalsCli(page, 'clearance × 0.5');
  assert.equal(link.scenario.patient.clearance_multiplier, 0.5);
  assert.ok(native.metrics.drug.auc_0_t_ng_h_per_ml > before);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-csv')]);
  const header = readFileSync(await download.path(), 'utf8').split('\n')[0].split(',');
  assert.ok(header.includes('clearance_multiplier_what_if_assumption'), header.join(','));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#btn-png')]);
  assert.ok(statSync(await png.path()).size > 10000);
  // the pinned run's label says it is a what-if
  await page.click('#btn-pin');
  assert.match(await page.locator('#pins').innerText(), /CL × 0\.5 \(what-if\)/);
  await page.fill('#clearance', '5');
  await page.locator('#err-clearance').filter({ hasText: 'patient.clearance_multiplier = 5 is out of range' }).waitFor();
  await page.fill('#clearance', '');
  await settle(page);
  assert.equal((await linked(page)).scenario.patient.clearance_multiplier, undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the CSHT chart: the engine’s curves, with the pinned run’s model overlaid', async () => {
  const { page, context, errors } = await open();
  await page.waitForFunction(() => window.__ketasim.csht()?.isCurrent === true, null, { timeout: 30000 });
  assert.equal(await page.locator('#chart-csht .uplot').count(), 1);
  assert.match(await page.locator('#csht-panel').innerText(), /Hughes 1992/);
  assert.match(await page.locator('#csht-note').innerText(), /recovery threshold 100 ng\/mL .* after holding .* from this scenario.s peak effect-site concentration/);
  await page.click('#btn-pin');
  const n = await page.evaluate(() => window.__ketasim.cshtRenders);
  await page.selectOption('#model', 'domino1982');
  await settle(page);
  await page.waitForFunction((k) => window.__ketasim.cshtRenders > k && window.__ketasim.csht()?.isCurrent && window.__ketasim.csht().pins.length === 1, n, { timeout: 30000 });
  const c = await page.evaluate(() => window.__ketasim.csht());
  assert.equal(c.curves.model_id, 'domino1982');
  assert.equal(c.pins[0].model_id, 'kamp2020');
  assert.ok(c.curves.half_time_min.every((v, i, a) => i === 0 || v >= a[i - 1] - 1e-9), 'the CSHT grows with the duration');
  assert.match(await page.locator('#chart-csht .u-legend').innerText(), /Pin 1: Kamp 2020/);
  await page.locator('#csht-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'csht-1280x720.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard only: add a step, then remove it; the focus moves sensibly', async () => {
  const { page, context, errors } = await open();
  const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-remove-step') || document.activeElement?.tagName);
  let found = false;
  for (let i = 0; i < 80 && !found; i++) {
    await page.keyboard.press('Tab');
    found = (await active()) === 'add-bolus';
  }
  assert.ok(found, 'the “+ Bolus” button is in the tab order');
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal((await linked(page)).scenario.regimen.length, 2);
  assert.equal(await active(), 'kind-1', 'the new step’s first control has the focus');
  assert.match(await page.locator('#regimen-status').innerText(), /Step 2 added/);
  await page.keyboard.press('Shift+Tab'); // to the new step's Remove button
  assert.equal(await active(), '1');
  await page.keyboard.press('Space');
  await settle(page);
  assert.equal((await linked(page)).scenario.regimen.length, 1);
  assert.equal(await active(), 'step-title-0', 'the remaining step’s heading has the focus');
  assert.match(await page.locator('#regimen-status').innerText(), /Step 2 .* removed; 1 step left/);
  // the TCI step through the keyboard: add, its target select, remove with Enter
  await page.focus('#add-tci');
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal((await linked(page)).scenario.regimen[1].kind, 'tci');
  await page.focus('button[data-remove-step="0"]');
  await page.keyboard.press('Enter');
  await settle(page);
  const left = (await linked(page)).scenario.regimen;
  assert.deepEqual(left.map((it) => it.kind), ['tci']);
  assert.equal(await active(), 'step-title-0');
  assert.deepEqual(errors, []);
  await context.close();
});

test('phone width: the editor, the TCI readouts and the charts add no sideways scroll', async () => {
  const { page, context, errors } = await open('#p=tci_effect_site', { width: 390, height: 844 });
  await page.click('#add-bolus');
  await settle(page);
  await page.click('button[data-add-tstep="0"]');
  await settle(page);
  await page.click('details.pump summary');
  await page.waitForFunction(() => window.__ketasim.csht()?.isCurrent === true, null, { timeout: 30000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `sideways scroll of ${overflow} px`);
  await page.screenshot({ path: join(ARTIFACTS, 'tci-390x844-full.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
