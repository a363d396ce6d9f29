// Issue 14 in Chromium: the "Edit parameters" view of a user-defined model. A lecturer opens the
// editor on Kamp 2020, doubles CL and the page's run is the native CLI's run of the same scenario
// JSON; the engine's errors name the field under model_spec next to the row; the share link
// carries the model; a built-in model drops it; no console errors and no CSP violations.
// Screenshots of the editor go to artifacts/modeledit-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, ROOT, ARTIFACTS, decodeHash, maxRelDiff, stateHash, presetScenario, cliSimulate, openPage } from './helpers.mjs';

let server;
let browser;
const sig3 = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });
const num3 = (x) => sig3.format(x).replace(/,/g, '\u202f');
const LABEL = 'your model (USER values — not from a publication)';

const cli = cliSimulate;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  execFileSync('cargo', ['build', '--quiet', '--release', '--bin', 'ketasim'], { cwd: ROOT, stdio: 'inherit' });
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function open(hash = '', viewport = { width: 1280, height: 720 }) {
  return openPage(browser, server.url + hash, { viewport, csp: true });
}

/** No console error, no page error, no CSP violation. */
async function clean(page, errors, what) {
  await page.waitForTimeout(200);
  assert.deepEqual(errors, [], `${what}: console errors`);
  assert.deepEqual(await page.evaluate(() => window.__csp), [], `${what}: CSP violations`);
}

const settle = (page) => page.waitForFunction(() => window.__ketasim.shown()?.current === true, null, { timeout: 20000 });
const linked = async (page) => decodeHash(await page.evaluate(() => location.hash));
const shownResult = (page) =>
  page.evaluate(() => JSON.parse(JSON.stringify(window.__ketasim.shown().result, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v))));

/** The page's run equals the CLI's run of the scenario in the share link. */
async function equalsCli(page, what) {
  await settle(page);
  const link = await linked(page);
  const shown = await shownResult(page);
  const native = cli(link.scenario);
  assert.deepEqual(shown.scenario, native.scenario, `${what}: scenario`);
  assert.equal(shown.model_id, native.model_id, `${what}: model id`);
  assert.equal(shown.metrics.drug.cmax_ng_per_ml, native.metrics.drug.cmax_ng_per_ml, `${what}: Cmax`);
  assert.ok(maxRelDiff(shown.drug_readout.cp_ng_per_ml, native.drug_readout.cp_ng_per_ml) <= 1e-12, `${what}: Cp`);
  assert.ok(maxRelDiff(shown.drug_readout.ce_ng_per_ml, native.drug_readout.ce_ng_per_ml) <= 1e-12, `${what}: Ce`);
  assert.equal(await page.locator('#readouts dd').first().innerText(), `${num3(native.metrics.drug.cmax_ng_per_ml)} ng/mL`, `${what}: Cmax card`);
  assert.equal(await page.locator('#results.stale').count(), 0, `${what}: not stale`);
  return { link, shown, native };
}

/** Index of a parameter in the model's description. */
const paramIndex = (spec, symbol) => spec.params.findIndex((p) => p.symbol === symbol);

/** Replaces the editor's JSON and applies it. */
async function applyJson(page, spec) {
  await page.evaluate(() => (document.querySelector('#model-edit details.me-json').open = true));
  await page.fill('#me-json', typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2));
  await page.click('#model-edit button[data-me="json-apply"]');
}

test('the editor opens on Kamp 2020; doubling CL runs the user model, equal to the CLI run of the same scenario JSON, labelled USER everywhere', async () => {
  const { page, context, errors } = await open();
  const builtin = await equalsCli(page, 'Kamp 2020 as published');
  assert.equal(builtin.link.scenario.model, 'kamp2020');
  assert.equal(builtin.link.scenario.model_spec, undefined);

  await page.click('#btn-model-edit');
  await page.locator('#model-edit[open]').waitFor();
  // opening changes nothing: the editor holds a USER copy until a value changes or Apply
  assert.equal((await linked(page)).scenario.model_spec, undefined);
  const kamp = await page.evaluate(() => window.__ketasim.state().scenario.model);
  assert.equal(kamp, 'kamp2020');
  const json = JSON.parse(await page.inputValue('#me-json'));
  assert.equal(json.id, 'user:kamp2020');
  const cl = paramIndex(json, 'CL');
  assert.ok(cl >= 0);
  const v = Number(await page.inputValue(`#me-v-${cl}`));
  assert.equal(v, json.params[cl].value);
  assert.match(await page.locator(`#me-v-${cl}`).locator('..').innerText(), /L\/h/); // the value's unit beside it

  await page.fill(`#me-v-${cl}`, String(2 * v));
  const { link, native } = await equalsCli(page, 'CL doubled');
  const spec = link.scenario.model_spec;
  assert.equal(link.scenario.model, 'user:kamp2020');
  assert.equal(spec.id, 'user:kamp2020');
  assert.equal(spec.params[cl].value, 2 * v);
  for (const p of spec.params) assert.equal(p.provenance, 'USER', p.symbol);
  for (const c of spec.covariates) assert.equal(c.provenance, 'USER', c.param);
  for (const [e, p] of spec.ke0_overrides) assert.equal(p.provenance, 'USER', e);
  assert.equal(native.model_id, 'user:kamp2020');
  // a faster clearance lowers the peak of the same infusion
  assert.ok(native.metrics.drug.cmax_ng_per_ml < builtin.native.metrics.drug.cmax_ng_per_ml);
  // the JSON follows the table
  assert.equal(JSON.parse(await page.inputValue('#me-json')).params[cl].value, 2 * v);

  // labelled wherever the model's name shows
  await page.waitForFunction(() => document.querySelector('#model option:checked')?.textContent.includes('USER values'));
  assert.match(await page.locator('#user-model-note').innerText(), /USER values — not from a publication/);
  assert.match(await page.locator('#user-model-note').innerText(), /Educational model — not dosing advice/);
  assert.ok((await page.locator('#model option:checked').innerText()).includes(LABEL));
  assert.equal(await page.inputValue('#model'), 'user:kamp2020');
  assert.match(await page.locator('#model-cite').innerText(), /USER/);
  assert.match(await page.locator('.disclaimer').innerText(), /Educational model/);
  await page.screenshot({ path: join(ARTIFACTS, 'modeledit-1280x720.png') });

  // the pinned run's label (the PNG's title uses the same label)
  await page.click('#btn-pin');
  assert.ok((await page.locator('#pins li').first().innerText()).includes(LABEL));
  // the CSV is the engine's for the user model
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#btn-csv')]);
  const csv = readFileSync(await dl.path(), 'utf8');
  assert.match(csv.split('\n')[0], /^t_min,/);
  // the model panel: the engine's description of the user's model, labelled USER
  await page.click('#model-edit button[data-me="close"]');
  await page.click('#btn-model');
  await page.locator('#model-dialog[open]').waitFor();
  const panel = await page.locator('#model-panel').innerText();
  assert.ok(panel.includes(LABEL));
  assert.match(panel, /as you gave them/);
  assert.ok(await page.locator('#model-panel table .badge-user').count() >= spec.params.length);
  await page.keyboard.press('Escape');
  await clean(page, errors, 'edit');
  await context.close();
});

test('a bad value shows the engine error naming model_spec.params[…] beside its row, and the previous run keeps showing; a structural error in the JSON likewise', async () => {
  const { page, context, errors } = await open();
  await page.click('#btn-model-edit');
  await page.locator('#model-edit[open]').waitFor();
  const json = JSON.parse(await page.inputValue('#me-json'));
  const cl = paramIndex(json, 'CL');
  const v = json.params[cl].value;
  await page.fill(`#me-v-${cl}`, String(2 * v));
  await settle(page);
  const before = await shownResult(page);

  await page.fill(`#me-v-${cl}`, '-1');
  const row = page.locator(`#model-edit .me-row[data-path="model_spec.params[${cl}]"]`);
  await page.waitForFunction((p) => document.querySelector(`#model-edit .me-row[data-path="${p}"] > .err`)?.textContent, `model_spec.params[${cl}]`);
  const msg = await row.locator('.err').innerText();
  assert.match(msg, new RegExp(`^model_spec\\.params\\[${cl}\\]\\.value = -1 is out of range`));
  assert.match(await row.getAttribute('class'), /invalid/);
  assert.equal(await page.locator('#results.stale').count(), 1);
  assert.match(await page.locator('#status').innerText(), /last valid run/);
  const still = await shownResult(page);
  assert.equal(still.scenario.model_spec.params[cl].value, 2 * v, 'the previous run is still shown');
  assert.equal(still.metrics.drug.cmax_ng_per_ml, before.metrics.drug.cmax_ng_per_ml);
  assert.equal(await page.locator('#err-general').innerText(), '', 'the message is beside the row, not on the general line');
  await page.screenshot({ path: join(ARTIFACTS, 'modeledit-error-1280x720.png') });

  // text that is not a number: nothing runs, the row says so
  await page.fill(`#me-v-${cl}`, '');
  await row.locator('.err').filter({ hasText: /type a number/ }).waitFor(); // once typing pauses (ui/typing.ts)
  await page.fill(`#me-v-${cl}`, String(3 * v));
  await equalsCli(page, 'CL tripled');

  // a flow into a compartment that does not exist, edited as JSON
  const spec = JSON.parse(await page.inputValue('#me-json'));
  const k = spec.flows.findIndex((f) => f.kind === 'transfer' && f.to !== null);
  const flows = spec.flows.map((f, i) => (i === k ? { ...f, to: 'nowhere' } : f));
  const broken = { ...spec, flows };
  if (k < 0) {
    // Kamp 2020 writes its distribution as exchanges
    const e = spec.flows.findIndex((f) => f.kind === 'exchange');
    broken.flows = spec.flows.map((f, i) => (i === e ? { ...f, b: 'nowhere' } : f));
  }
  await applyJson(page, broken);
  await page.waitForFunction(() => document.querySelector('#model-edit .me-spec > .err')?.textContent);
  assert.match(await page.locator('#model-edit .me-spec > .err').innerText(), /^model_spec\.flows\[\d+\]\.(to|b): no compartment 'nowhere'; defined: /);
  assert.equal((await shownResult(page)).scenario.model_spec.params[cl].value, 3 * v, 'the previous run is still shown');
  // not JSON at all: the editor says so and applies nothing
  await page.fill('#me-json', '{"id": ');
  await page.click('#model-edit button[data-me="json-apply"]');
  assert.match(await page.locator('#me-json-err').innerText(), /could not be read/);
  assert.equal(await page.locator(`#me-v-${cl}`).isDisabled(), true, 'the table waits while the JSON holds edits');
  // back to the description that runs
  await applyJson(page, spec);
  await equalsCli(page, 'JSON repaired');
  assert.equal(await page.locator('#model-edit .me-spec > .err').innerText(), '');
  await clean(page, errors, 'errors');
  await context.close();
});

test('typing fast queues no stale work: the last value typed is the run shown', async () => {
  const { page, context, errors } = await open();
  await page.click('#btn-model-edit');
  await page.locator('#model-edit[open]').waitFor();
  const json = JSON.parse(await page.inputValue('#me-json'));
  const v1 = paramIndex(json, 'V1');
  await page.fill(`#me-v-${v1}`, '');
  const n0 = await page.evaluate(() => window.__ketasim.perf.updates.length);
  await page.locator(`#me-v-${v1}`).pressSequentially('31.25', { delay: 0 });
  const { link } = await equalsCli(page, 'V1 typed fast');
  assert.equal(link.scenario.model_spec.params[v1].value, 31.25);
  const n = (await page.evaluate(() => window.__ketasim.perf.updates.length)) - n0;
  assert.ok(n <= 5, `${n} runs drawn for 5 keystrokes`);
  await clean(page, errors, 'typing');
  await context.close();
});

test('the share link round-trips the user model; a built-in model chosen afterwards drops it', async () => {
  const a = await open();
  await a.page.click('#btn-model-edit');
  await a.page.locator('#model-edit[open]').waitFor();
  const json = JSON.parse(await a.page.inputValue('#me-json'));
  const cl = paramIndex(json, 'CL');
  await a.page.fill(`#me-v-${cl}`, String(2 * json.params[cl].value));
  await a.page.fill('#me-name', 'Kamp 2020, CL doubled');
  const first = await equalsCli(a.page, 'before the link');
  const hash = await a.page.evaluate(() => location.hash);
  await clean(a.page, a.errors, 'link source');
  await a.context.close();

  const { page, context, errors } = await open(hash);
  const again = await equalsCli(page, 'from the link');
  assert.deepEqual(again.link.scenario, first.link.scenario);
  assert.deepEqual(again.shown.scenario.model_spec, first.link.scenario.model_spec);
  assert.equal(again.native.metrics.drug.cmax_ng_per_ml, first.native.metrics.drug.cmax_ng_per_ml);
  assert.match(await page.locator('#user-model-note').innerText(), /Kamp 2020, CL doubled/);
  await page.waitForFunction(() => document.querySelector('#model option:checked')?.textContent.includes('USER values'));
  // the editor starts from the link's model
  await page.click('#btn-model-edit');
  await page.locator('#model-edit[open]').waitFor();
  assert.equal(Number(await page.inputValue(`#me-v-${cl}`)), 2 * json.params[cl].value);
  assert.equal(await page.inputValue('#me-name'), 'Kamp 2020, CL doubled');

  // another built-in model: the user's model is gone from the scenario, the link and the page
  await page.selectOption('#model', 'domino1982');
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.model_id === 'domino1982');
  const st = await page.evaluate(() => window.__ketasim.state().scenario);
  assert.equal(st.model, 'domino1982');
  assert.equal('model_spec' in st, false);
  const link = await linked(page);
  assert.equal('model_spec' in link.scenario, false);
  await equalsCli(page, 'Domino 1982');
  assert.equal(await page.locator('#user-model-note').isHidden(), true);
  assert.equal(await page.locator('#model option[data-user]').count(), 0);
  assert.equal(await page.locator('#model-edit[open]').count(), 0, 'the editor closed with the model');
  assert.doesNotMatch(await page.locator('#model-cite').innerText(), /USER/);
  await clean(page, errors, 'link and switch');
  await context.close();
});

test('a link whose model_spec is invalid shows the engine error, not a broken page, and the editor can repair it', async () => {
  const sc = presetScenario('antidepressant_40min');
  const { page: p0, context: c0 } = await open();
  await p0.click('#btn-model-edit');
  const spec = JSON.parse(await p0.inputValue('#me-json'));
  await c0.close();
  const cl = paramIndex(spec, 'CL');
  const bad = structuredClone(spec);
  bad.params[cl].value = -5;
  const { page, context, errors } = await open(stateHash({ ...sc, model: spec.id, model_spec: bad }));
  await page.waitForFunction(() => document.getElementById('err-general').textContent);
  assert.match(await page.locator('#err-general').innerText(), new RegExp(`model_spec\\.params\\[${cl}\\]\\.value = -5 is out of range`));
  assert.equal(await page.locator('#results.stale').count(), 1);
  // the editor opens on the link's model, with the message beside the row
  await page.click('#btn-model-edit');
  await page.locator('#model-edit[open]').waitFor();
  const row = page.locator(`#model-edit .me-row[data-path="model_spec.params[${cl}]"]`);
  await page.waitForFunction((p) => document.querySelector(`#model-edit .me-row[data-path="${p}"] > .err`)?.textContent, `model_spec.params[${cl}]`);
  assert.match(await row.locator('.err').innerText(), /is out of range/);
  await page.fill(`#me-v-${cl}`, String(spec.params[cl].value));
  await equalsCli(page, 'repaired from the link');

  // a description the engine cannot even read (an unknown key): its message, nothing broken
  const odd = { ...sc, model: spec.id, model_spec: { ...spec, colour: 'red' } };
  const b = await open(stateHash(odd));
  await b.page.waitForFunction(() => document.getElementById('err-general').textContent);
  assert.match(await b.page.locator('#err-general').innerText(), /model_spec.*colour|colour.*model_spec/);
  await b.page.click('#btn-model-edit');
  await b.page.locator('#model-edit[open]').waitFor();
  // a built-in model is still one choice away
  await b.page.click('#model-edit button[data-me="builtin"]');
  await b.page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.model_id === 'kamp2020');
  assert.equal('model_spec' in (await b.page.evaluate(() => window.__ketasim.state().scenario)), false);
  await clean(b.page, b.errors, 'unreadable link');
  await b.context.close();
  await clean(page, errors, 'invalid link');
  await context.close();
});

test('screenshots of the editor on a phone (390×844)', async () => {
  const { page, context, errors } = await open('', { width: 390, height: 844 });
  await page.click('#btn-model-edit');
  await page.locator('#model-edit[open]').waitFor();
  const json = JSON.parse(await page.inputValue('#me-json'));
  const cl = paramIndex(json, 'CL');
  await page.fill(`#me-v-${cl}`, String(2 * json.params[cl].value));
  await equalsCli(page, 'phone');
  await page.screenshot({ path: join(ARTIFACTS, 'modeledit-390x844.png') });
  // nothing wider than the screen inside the editor
  const overflow = await page.evaluate(() => {
    const d = document.getElementById('model-edit');
    return d.scrollWidth - d.clientWidth;
  });
  assert.ok(overflow <= 0, `editor overflows by ${overflow}px`);
  await page.fill(`#me-v-${cl}`, '-1');
  await page.waitForFunction((p) => document.querySelector(`#model-edit .me-row[data-path="${p}"] > .err`)?.textContent, `model_spec.params[${cl}]`);
  await page.screenshot({ path: join(ARTIFACTS, 'modeledit-error-390x844.png') });
  await clean(page, errors, 'phone');
  await context.close();
});

test('a linked user model with its own structure and ligand (the issue-14 fixture) equals the CLI; its texts never become markup', async () => {
  const sc = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'user_model_three_compartment.json'), 'utf8'));
  // names refuse markup characters (the engine says which); longer texts keep them, as text
  const marked = structuredClone(sc);
  marked.model_spec.analytes[0].name = '<b class="injected">Drug</b>';
  const refused = await open(stateHash(marked));
  await refused.page.waitForFunction(() => document.body.innerText.includes('model_spec.analytes[0].name'), null, { timeout: 20000 });
  assert.equal(await refused.page.locator('.injected').count(), 0);
  await refused.context.close();
  sc.model_spec.name = 'Mine (user model)';
  sc.model_spec.citation = 'Mine <img src="x.png" class="injected"> & "q"';
  sc.model_spec.params[0].description = '<i class="injected">central</i> volume';
  const { page, context, errors } = await open(stateHash(sc));
  const { native } = await equalsCli(page, 'fixture from a link');
  assert.equal(native.model_id, 'user:three_compartment');
  assert.ok(native.metrics.occupancy_max > 0.05, 'the user ligand binds');
  await page.waitForFunction(() => document.querySelector('#model option:checked')?.textContent.includes('USER values'));
  assert.match(await page.locator('#user-model-note').innerText(), /Mine \(user model\)/);
  await page.click('#btn-pin');
  await page.click('#btn-model-edit');
  await page.locator('#model-edit[open]').waitFor();
  assert.match(await page.locator('#model-edit').innerText(), /<i class="injected">central<\/i> volume/);
  // the ligand constants are rows of the table too
  assert.equal(await page.locator('#model-edit .me-row[data-path="model_spec.analytes[0].binding.ki_um"]').count(), 1);
  await page.click('#model-edit button[data-me="close"]');
  await page.click('#btn-model');
  await page.locator('#model-dialog[open]').waitFor();
  assert.equal(await page.locator('.injected').count(), 0, 'no user text became an element');
  await page.keyboard.press('Escape');
  await clean(page, errors, 'fixture');
  await context.close();
});
