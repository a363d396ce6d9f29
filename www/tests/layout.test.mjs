// Layout, accessibility, offline and export tests at the four sizes of issue 12 (projector
// 1920×1080, laptop 1280×720, tablet 768×1024, phone 390×844) and a projector at 200 % zoom
// (960×540). Screenshots and the measurements go to artifacts/ (layout-<w>x<h>.png, layout.json).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, ARTIFACTS, WWW } from './helpers.mjs';

const require = createRequire(import.meta.url);
/** axe-core, evaluated in the page (an injected <script> would be refused by the page's CSP). */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** kind: 'wide' (the main and the occupancy chart entirely on screen), 'tablet' (both charts on the first screen), 'phone' (the chart near the top). */
const SIZES = [
  { w: 1920, h: 1080, kind: 'wide' },
  { w: 1280, h: 720, kind: 'wide' },
  { w: 960, h: 540, kind: 'wide' }, // 1920 × 1080 at 200 % zoom
  { w: 768, h: 1024, kind: 'tablet' },
  { w: 390, h: 844, kind: 'phone' },
];

let server;
let browser;
const report = {};

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve();
  browser = await launch();
});

after(async () => {
  writeFileSync(join(ARTIFACTS, 'layout.json'), JSON.stringify(report, null, 2));
  await browser?.close();
  server?.stop();
});

async function open(size, hash = '', url = server.url) {
  const context = await browser.newContext({ viewport: { width: size.w, height: size.h }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + hash);
  await page.waitForFunction(() => window.__ketasim?.ready === true, null, { timeout: 20000 });
  await settle(page);
  return { page, context, errors };
}

/** Waits for the current run to be drawn and the charts to be fitted (two frames). */
async function settle(page) {
  await page.waitForFunction(() => window.__ketasim.shown()?.current === true, null, { timeout: 20000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30)))));
}

async function rendersAfter(page, action) {
  const n = await page.evaluate(() => window.__ketasim.renders);
  await action();
  await page.waitForFunction((k) => window.__ketasim.renders > k, n, { timeout: 20000 });
  await settle(page);
}

/**
 * The selects of the controls that cut the choice shown (in the page): on one line, its text
 * wider than the box less room for the arrow; wrapped over lines (where the browser sizes a
 * select to its content), a word wider than that or lines below the box. (A select never
 * scrolls: its scrollWidth is its clientWidth, so the text is measured.) At 1280 × 720 the
 * model's, the ke0 endpoint's, the occupancy assumption's, sex's and race's were cut.
 */
function selectsCut() {
  const ctx = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('.controls select')]
    .filter((s) => s.offsetParent !== null)
    .flatMap((s) => {
      const text = (s.selectedOptions[0]?.textContent ?? '').trim();
      const cs = getComputedStyle(s);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
      const wraps = cs.textWrapMode ? cs.textWrapMode === 'wrap' : !/^(nowrap|pre)$/.test(cs.whiteSpace);
      const widest = wraps ? Math.max(...text.split(/\s+/).map((w) => ctx.measureText(w).width)) : ctx.measureText(text).width;
      return widest > room + 0.5 || s.scrollHeight > s.clientHeight + 1 ? [`#${s.id || s.className} “${text}” (${Math.round(widest)} px in ${Math.round(room)})`] : [];
    });
}

/** Where the charts are, the page's width, and what is cut off. */
async function measure(page) {
  const m = await page.evaluate(() => {
    const box = (id) => {
      const e = document.getElementById(id);
      if (!e || e.offsetParent === null) return null;
      const r = e.getBoundingClientRect();
      return { top: Math.round(r.top), bottom: Math.round(r.bottom) };
    };
    const se = document.scrollingElement;
    // (a number box too narrow for its value scrolls its text: "1000" read "100")
    const cut = [...document.querySelectorAll('#readouts dt, #readouts dd, .tci-cards dt, .tci-cards dd, .uplot .u-title, #results h2, #results h3, .controls h2, .controls input[type=number]')]
      .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
      .map((e) => (e.tagName === 'INPUT' ? `#${e.id || e.dataset.field} = ${e.value}` : e.textContent.trim()));
    const exponent = [...document.querySelectorAll('#readouts, #tci-readouts, #metab, #timeline, .u-legend, #pop-panel')]
      .map((e) => e.innerText)
      .filter((t) => /\d(\.\d+)?e[+-]?\d/i.test(t));
    // a slider never covers its number box
    const covered = [...document.querySelectorAll('input[type=range]')]
      .filter((r) => r.offsetParent !== null)
      .flatMap((r) => {
        const box = r.parentElement.querySelector('input[type=number]');
        if (!box) return [];
        const a = r.getBoundingClientRect();
        const b = box.getBoundingClientRect();
        return a.right > b.left + 0.5 && a.left < b.right && a.bottom > b.top && a.top < b.bottom ? [r.id || r.dataset.rangeFor] : [];
      });
    // the vital signs' Curve select shows its whole text (a select cannot wrap): every option
    // fits the box, less room for its arrow
    const curve = document.getElementById('vitals-curve');
    let curveCut = [];
    if (curve && curve.offsetParent !== null) {
      const cs = getComputedStyle(curve);
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = curve.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
      curveCut = [...curve.options].filter((o) => ctx.measureText(o.textContent).width > room).map((o) => o.textContent);
    }
    return {
      covered,
      curveCut,
      innerWidth,
      innerHeight,
      scrollWidth: se.scrollWidth,
      conc: box('conc-wrap'),
      occ: box('occ-wrap'),
      pump: box('pump-wrap'),
      cut,
      exponent,
      legendPx: parseFloat(getComputedStyle(document.querySelector('.u-legend')).fontSize),
    };
  });
  return { ...m, selectCut: await page.evaluate(selectsCut) };
}

/** The layout rules of issue 12 for one measurement. */
function check(m, size, what) {
  const at = `${size.w}×${size.h} ${what}`;
  assert.ok(m.scrollWidth <= m.innerWidth, `${at}: sideways scroll, ${m.scrollWidth} > ${m.innerWidth} px`);
  assert.deepEqual(m.cut, [], `${at}: cut-off titles`);
  assert.deepEqual(m.exponent, [], `${at}: exponent notation`);
  assert.deepEqual(m.covered, [], `${at}: sliders covering their number boxes`);
  assert.deepEqual(m.curveCut, [], `${at}: the Curve select cuts its text`);
  assert.deepEqual(m.selectCut, [], `${at}: selects of the controls cut their text`);
  assert.ok(m.conc, `${at}: the main chart is shown`);
  if (size.kind === 'wide') {
    assert.ok(m.conc.top >= 0 && m.conc.bottom <= m.innerHeight, `${at}: main chart ${m.conc.top}–${m.conc.bottom} not within 0–${m.innerHeight}`);
    // the occupancy chart too (at 960 × 540 with a TCI pump chart there is not room for three)
    if (size.h >= 720 || !m.pump) assert.ok(m.occ.top >= 0 && m.occ.bottom <= m.innerHeight + 1, `${at}: occupancy chart ${m.occ.top}–${m.occ.bottom} not within 0–${m.innerHeight}`);
  } else {
    // the main chart: in the first screen at load, and (sticky) on screen after using a control
    assert.ok(m.conc.top >= 0 && m.conc.top < m.innerHeight * (size.kind === 'phone' ? 0.35 : 0.5), `${at}: main chart starts at ${m.conc.top}`);
    assert.ok(m.conc.bottom <= m.innerHeight, `${at}: main chart ends at ${m.conc.bottom} > ${m.innerHeight}`);
  }
}

async function axe(page, name) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const v = res.violations.map((x) => ({ id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.length, targets: x.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  writeFileSync(join(ARTIFACTS, `axe-${name}.json`), JSON.stringify(v, null, 2));
  return v;
}

for (const size of SIZES) {
  test(`${size.w}×${size.h}: layout, axe, and the chart stays in view while the controls are used`, async () => {
    const name = `${size.w}x${size.h}`;
    const { page, context, errors } = await open(size);
    const first = await measure(page);
    check(first, size, 'at load');
    await page.screenshot({ path: join(ARTIFACTS, `layout-${name}.png`) });
    const violations = await axe(page, name);
    const bad = violations.filter((x) => x.impact === 'serious' || x.impact === 'critical');
    assert.deepEqual(bad, [], `${name}: serious or critical axe violations`);

    // another model, another ke0, the population: the chart stays in view
    await rendersAfter(page, () => page.selectOption('#model', 'domino1982'));
    check(await measure(page), size, 'after choosing a model');
    const ke0 = await page.$$eval('#ke0 option:not([disabled])', (os) => os.map((o) => o.value));
    const cur = await page.inputValue('#ke0');
    const other = ke0.find((v) => v !== cur && v !== 'custom');
    if (other) {
      await rendersAfter(page, () => page.selectOption('#ke0', other));
      check(await measure(page), size, `after ke0 ${other}`);
    }
    const pops = await page.evaluate(() => window.__ketasim.populationRenders);
    await page.check('#pop-on');
    await page.waitForFunction((k) => window.__ketasim.populationRenders > k, pops, { timeout: 60000 });
    await settle(page);
    const withPop = await measure(page);
    check(withPop, size, 'with the population');
    await page.screenshot({ path: join(ARTIFACTS, `layout-${name}-population.png`) });
    await page.uncheck('#pop-on');

    // every preset, as a user clicks through them after the models
    const presets = await page.$$eval('#presets button', (bs) => bs.map((b) => b.dataset.id));
    const perPreset = {};
    for (const id of presets) {
      await rendersAfter(page, () => page.click(`#presets button[data-id="${id}"]`));
      const m = await measure(page);
      check(m, size, `preset ${id}`);
      perPreset[id] = { conc: m.conc, occ: m.occ };
      if (id === 'tci_effect_site') await page.screenshot({ path: join(ARTIFACTS, `layout-${name}-tci.png`) });
    }
    await rendersAfter(page, () => page.click(`#presets button[data-id="${presets[0]}"]`));
    await page.locator('#dose').scrollIntoViewIfNeeded();
    check(await measure(page), size, 'with the dose control in view');
    await page.screenshot({ path: join(ARTIFACTS, `layout-${name}-controls.png`) });
    const bad2 = (await axe(page, `${name}-last-preset`)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
    assert.deepEqual(bad2, [], `${name}: serious or critical axe violations after the presets`);
    report[name] = { atLoad: first, withPopulation: withPop, perPreset, axe: violations };
    assert.deepEqual(errors, []);
    await context.close();
  });
}

/** The compartment diagram as drawn: its box's widths, its text size (px), the note above it. */
const diagramNow = (page) =>
  page.evaluate(() => {
    const box = document.querySelector('#diagram-panel .dia-svg');
    const svg = box.querySelector('svg.dia');
    const r = svg.getBoundingClientRect();
    const note = document.querySelector('#diagram-panel .dia-pan');
    return {
      scroll: box.scrollWidth,
      client: box.clientWidth,
      width: Math.round(r.width),
      height: Math.round(r.height),
      fontPx: +((parseFloat(svg.getAttribute('font-size')) * r.width) / svg.viewBox.baseVal.width).toFixed(2),
      note: !note || note.hidden ? null : note.innerText.trim(),
      region: box.tabIndex === 0 && box.getAttribute('role') === 'region' && !!box.getAttribute('aria-label'),
      pageScroll: document.scrollingElement.scrollWidth,
      innerWidth,
    };
  });
const diagramFits = () => {
  const b = document.querySelector('#diagram-panel .dia-svg');
  return b.scrollWidth <= b.clientWidth + 1;
};
const diagramScrolls = () => {
  const b = document.querySelector('#diagram-panel .dia-svg');
  return b.scrollWidth > b.clientWidth + 1;
};

// The diagram fits its panel instead of scrolling sideways (Simons 2022 was 2 700 px wide at
// 1280 × 720, Pérez-Ruixo and Fanta scrolled a little); on a phone, where no layout is that
// narrow at readable text, the sideways scroll is labelled and a button fits it to the width.
// And every model's name (the longest choices of the controls) is shown whole in its select.
for (const size of [SIZES[0], SIZES[1], SIZES[3], SIZES[4]]) {
  test(`${size.w}×${size.h}: the compartment diagram of every model fits its panel's width (a phone: labelled sideways scroll, or fitted); no select cuts its text`, async () => {
    const name = `${size.w}x${size.h}`;
    const { page, context, errors } = await open(size);
    await page.click('#diagram-panel > summary');
    const models = await page.$$eval('#model option', (os) => os.map((o) => o.value));
    for (const id of ['simons2022', 'perez_ruixo2021', 'fanta2015', 'kamp2020']) assert.ok(models.includes(id), `${id} is offered`);
    const seen = {};
    for (const id of models) {
      const at = `${size.w}×${size.h} ${id}`;
      if ((await page.inputValue('#model')) !== id) await rendersAfter(page, () => page.selectOption('#model', id));
      await page.waitForFunction(
        (m) => window.__ketasimLecture.diagram().current()?.model_id === m && !document.getElementById('diagram-panel').classList.contains('stale'),
        id,
        { timeout: 20000 },
      );
      await page.evaluate(() => window.__ketasimLecture.diagram().seek(20));
      const d = await diagramNow(page);
      seen[id] = d;
      assert.ok(d.fontPx >= 12 - 1e-6, `${at}: diagram text ${d.fontPx} px`);
      assert.ok(d.pageScroll <= d.innerWidth, `${at}: the page scrolls sideways (${d.pageScroll} > ${d.innerWidth})`);
      if (size.kind === 'phone' && d.scroll > d.client + 1) {
        // too wide at readable text: a note says so, the keyboard can scroll it, a button fits it
        assert.match(d.note ?? '', /sideways/, `${at}: the diagram scrolls sideways (${d.scroll} > ${d.client} px) without a note`);
        assert.ok(d.region, `${at}: the scrolling diagram is not a focusable, named region`);
        await page.click('#diagram-panel .dia-fitw');
        await page.waitForFunction(diagramFits, null, { timeout: 5000 });
        assert.equal(await page.getAttribute('#diagram-panel .dia-fitw', 'aria-pressed'), 'true');
        seen[id].fitted = await diagramNow(page);
        if (id === 'simons2022') await page.locator('#diagram-panel').screenshot({ path: join(ARTIFACTS, `diagram-${id}-${name}-fitted.png`) });
        await page.click('#diagram-panel .dia-fitw');
        await page.waitForFunction(diagramScrolls, null, { timeout: 5000 });
      } else {
        assert.ok(d.scroll <= d.client + 1, `${at}: the diagram scrolls sideways, ${d.scroll} > ${d.client} px`);
        assert.equal(d.note, null, `${at}: a note of sideways scrolling on a diagram that fits`);
      }
      // no box or arrow text over another (whichever layout was chosen)
      const o = await page.evaluate(() => {
        const bb = (e) => {
          const b = e.getBBox();
          return { x: b.x, y: b.y, width: b.width, height: b.height, id: e.closest('[data-id]')?.dataset.id ?? e.dataset.edge ?? '' };
        };
        const over = (a, b) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
        const nodes = [...document.querySelectorAll('#diagram-panel .dia-node .dia-box')].map(bb);
        const labels = [...document.querySelectorAll('#diagram-panel .dia-elabel')].filter((e) => e.textContent.trim()).map(bb);
        const all = [...nodes, ...labels];
        const bad = [];
        for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) if (over(all[i], all[j])) bad.push(`${all[i].id} / ${all[j].id}`);
        return bad;
      });
      assert.deepEqual(o, [], `${at}: overlapping boxes or arrow labels in the diagram`);
      assert.deepEqual(await page.evaluate(selectsCut), [], `${at}: selects of the controls cut their text`);
      if (['simons2022', 'perez_ruixo2021', 'fanta2015'].includes(id)) await page.locator('#diagram-panel').screenshot({ path: join(ARTIFACTS, `diagram-${id}-${name}.png`) });
    }
    report.diagram ??= {};
    report.diagram[name] = seen;
    const bad = (await axe(page, `${name}-diagram`)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
    assert.deepEqual(bad, [], `${name}: serious or critical axe violations with the diagram open`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

/** The concentration chart's labels that cover one another or leave the plot (as the page drew them). */
async function labelClashes(page, what) {
  const l = await page.evaluate(() => window.__ketasim.chartLabels());
  assert.ok(l, `${what}: no labels recorded`);
  const bad = [];
  const over = (a, b) => a.x0 < b.x1 - 0.01 && b.x0 < a.x1 - 0.01 && a.y0 < b.y1 - 0.01 && b.y0 < a.y1 - 0.01;
  for (let i = 0; i < l.labels.length; i++) {
    const a = l.labels[i];
    const inside = a.box.x0 >= l.plot.x0 - 0.01 && a.box.x1 <= l.plot.x1 + 0.01 && a.box.y0 >= l.plot.y0 - 0.01 && a.box.y1 <= l.plot.y1 + 0.01;
    if (!inside && a.text.endsWith(' range')) bad.push(`${what}: “${a.text}” leaves the plot`);
    for (let j = i + 1; j < l.labels.length; j++) if (over(a.box, l.labels[j].box)) bad.push(`${what}: “${a.text}” covers “${l.labels[j].text}”`);
  }
  return { bad, shown: l.labels.map((x) => x.text), left: l.left };
}

// The names of the concentration chart's bands never cover one another (nor a lecture label):
// every preset, then every model (as a user clicks), at the four sizes, linear and log axis;
// and every lecture scene. With Domino 1982 the anaesthetic and analgesic names overlapped.
for (const size of [SIZES[0], SIZES[1], SIZES[3], SIZES[4]]) {
  test(`${size.w}×${size.h}: the bands' names on the concentration chart never overlap (every preset × model, log axis, lecture scenes)`, async () => {
    const name = `${size.w}x${size.h}`;
    const { page, context, errors } = await open(size);
    const presets = await page.$$eval('#presets button', (bs) => bs.map((b) => b.dataset.id));
    const models = await page.$$eval('#model option', (os) => os.map((o) => o.value));
    const bad = [];
    const seen = {};
    let checked = 0;
    for (const preset of presets) {
      await rendersAfter(page, () => page.click(`#presets button[data-id="${preset}"]`));
      for (const model of models) {
        if ((await page.inputValue('#model')) !== model) await rendersAfter(page, () => page.selectOption('#model', model));
        const r = await labelClashes(page, `${name} ${preset} on ${model}`);
        bad.push(...r.bad);
        seen[`${preset}/${model}`] = r;
        checked++;
        if (preset === 'analgesic_bolus' && model === 'domino1982') await page.locator('#conc-wrap').screenshot({ path: join(ARTIFACTS, `band-names-${name}-domino.png`) });
      }
    }
    // a log axis brings every band into view at once
    await rendersAfter(page, () => page.click(`#presets button[data-id="${presets[0]}"]`));
    await page.check('#log-y');
    for (const model of models) {
      if ((await page.inputValue('#model')) !== model) await rendersAfter(page, () => page.selectOption('#model', model));
      await settle(page);
      bad.push(...(await labelClashes(page, `${name} log axis on ${model}`)).bad);
    }
    await page.uncheck('#log-y');
    // lecture mode: larger names, the scenes' spans and reference lines
    await page.click('#btn-lecture');
    await page.click('#lec-present');
    await page.waitForFunction(() => window.__ketasimLecture.active());
    const scenes = await page.evaluate(() => window.__ketasimLecture.lecture().scenes.length);
    for (let i = 0; i < scenes; i++) {
      if (i > 0) await page.keyboard.press('ArrowRight');
      await page.waitForFunction((k) => window.__ketasimLecture.scene() === k, i);
      await settle(page);
      bad.push(...(await labelClashes(page, `${name} lecture scene ${i + 1}`)).bad);
    }
    report.bandNames ??= {};
    report.bandNames[name] = { checked, seen };
    assert.deepEqual(bad, []);
    assert.ok(checked >= presets.length * models.length);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the chart reads out by keyboard: a crosshair that arrow keys move, announced in a live region; a table of the values', async () => {
  const { page, context, errors } = await open(SIZES[1]);
  await page.focus('#chart-conc');
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
  const said = await page.locator('#chart-live').innerText();
  assert.match(said, /^Time \d+(\.\d)? min: Ketamine \(racemic\) plasma [\d.\u202f]+ ng\/mL, effect site [\d.\u202f]+ ng\/mL, NMDA occupancy [\d.]+ % \(model-derived\)\.$/);
  assert.equal(await page.locator('#tooltip').isVisible(), true);
  // the announced values are the engine's at that grid point
  const ok = await page.evaluate((text) => {
    const r = window.__ketasim.shown().result;
    const t = Number(/^Time ([\d.]+)/.exec(text)[1]);
    const k = r.t_min.findIndex((x) => Math.abs(x - t) < 1e-9);
    return k >= 0 && text.includes(`NMDA occupancy ${(r.occupancy[k] * 100).toFixed(1)} %`);
  }, said);
  assert.ok(ok, said);
  await page.keyboard.press('End');
  assert.match(await page.locator('#chart-live').innerText(), /^Time 360 min/);
  await page.screenshot({ path: join(ARTIFACTS, 'keyboard-crosshair-1280x720.png') });
  await page.keyboard.press('Escape');
  // the table alternative
  await page.click('#data-table summary');
  // the table is built by the disclosure's toggle event, which the browser fires in a later task
  await page.locator('#data-table tbody tr').first().waitFor({ timeout: 5000 });
  const rows = await page.locator('#data-table tbody tr').count();
  assert.ok(rows > 50, `${rows} rows`);
  const head = await page.locator('#data-table thead').innerText();
  assert.match(head, /Time \(min\)[\s\S]*plasma \(ng\/mL\)[\s\S]*NMDA occupancy \(%, model-derived\)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the PNG has a legend with every curve, pinned runs told apart, and the whole share link', async () => {
  const size = SIZES[1];
  const context = await browser.newContext({ viewport: { width: size.w, height: size.h }, acceptDownloads: true });
  await context.addInitScript(() => {
    window.__drawn = [];
    window.__dashes = [];
    /** Text drawn unrotated on a chart's canvas beyond its edges (the PNG copies the canvases). */
    window.__outside = [];
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
      window.__drawn.push(String(text));
      const chart = this.canvas.closest?.('.chart');
      if (chart && this.getTransform().isIdentity && String(text).trim()) {
        const w = this.measureText(String(text)).width;
        const left = this.textAlign === 'center' ? x - w / 2 : this.textAlign === 'right' || this.textAlign === 'end' ? x - w : x;
        if (left < -0.5 || left + w > this.canvas.width + 0.5) window.__outside.push(`${chart.id}: “${text}” at ${left.toFixed(1)}–${(left + w).toFixed(1)} of 0–${this.canvas.width}`);
      }
      if (chart?.id === 'chart-conc') window.__ops.push({ op: 'fill', text: String(text) });
      return fill.call(this, text, x, y, ...rest);
    };
    // the concentration chart's frames: what is drawn, in order (band names after the grid, on a halo)
    window.__ops = [];
    const stroke = CanvasRenderingContext2D.prototype.strokeText;
    CanvasRenderingContext2D.prototype.strokeText = function (text, ...rest) {
      if (this.canvas.closest?.('.chart')?.id === 'chart-conc') window.__ops.push({ op: 'stroke', text: String(text), lw: this.lineWidth });
      return stroke.call(this, text, ...rest);
    };
    const clear = CanvasRenderingContext2D.prototype.clearRect;
    CanvasRenderingContext2D.prototype.clearRect = function (...a) {
      if (this.canvas.closest?.('.chart')?.id === 'chart-conc') window.__ops.push({ op: 'frame' });
      return clear.apply(this, a);
    };
    const dash = CanvasRenderingContext2D.prototype.setLineDash;
    CanvasRenderingContext2D.prototype.setLineDash = function (d) {
      window.__dashes.push(d.join(','));
      return dash.call(this, d);
    };
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(server.url);
  await page.waitForFunction(() => window.__ketasim?.ready === true, null, { timeout: 20000 });
  await settle(page);
  await page.click('#btn-pin');
  await rendersAfter(page, () => page.fill('#weight', '90'));
  await page.click('#btn-pin');
  await rendersAfter(page, () => page.fill('#weight', '50'));
  assert.equal(await page.locator('#pins li').count(), 2);
  await page.evaluate(() => {
    window.__drawn = [];
    window.__dashes = [];
  });
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#btn-png')]);
  const path = await png.path();
  assert.ok(statSync(path).size > 20000);
  const { drawn, dashes, href, outside } = await page.evaluate(() => ({ drawn: window.__drawn, dashes: window.__dashes, href: location.href, outside: window.__outside }));
  // every chart's tick labels whole on its canvas (the vital signs' last time tick was cut)
  assert.deepEqual(outside, [], 'text drawn past a chart canvas’s edge');
  // the landmark bands' names: drawn after the grid and the axes' numbers of the same frame (no
  // grid line or band edge crosses them), each on a halo of the chart's ground
  const ops = await page.evaluate(() => window.__ops);
  let frame = [];
  let labels = 0;
  for (const o of ops) {
    if (o.op === 'frame') frame = [];
    else if (o.op === 'fill' && / range$/.test(o.text)) {
      labels++;
      assert.ok(frame.some((p) => p.op === 'fill' && /^\d+$/.test(p.text)), `“${o.text}” drawn before the axes`);
      const halo = frame[frame.length - 1];
      assert.ok(halo?.op === 'stroke' && halo.text === o.text && halo.lw >= 3, `“${o.text}” without a halo`);
    }
    frame.push(o);
  }
  assert.ok(labels > 0, 'the bands are labelled');
  for (const label of [/^Ketamine \(racemic\) plasma$/, /^Ketamine \(racemic\) effect site$/, /^Pin 1: Kamp 2020 .* 70 kg \(Ce\)$/, /^Pin 2: Kamp 2020 .* 90 kg \(Ce\)$/, /^Pin 1: .*\(occupancy\)$/, /^NMDA occupancy \(model-derived\)$/, /dissociative/i])
    assert.ok(drawn.some((t) => label.test(t)), `legend lacks ${label}: ${drawn.join(' | ')}`);
  // the two pins have different dash patterns
  assert.ok(dashes.includes('6,4') && dashes.includes('2,3'), dashes.join(' / '));
  // the share link, whole: its wrapped lines joined are the page's address
  const i = drawn.findIndex((t) => t.startsWith('Share link'));
  let link = '';
  for (const t of drawn.slice(i + 1)) {
    if (!href.startsWith(link + t)) break; // (a chart redrawn afterwards)
    link += t;
  }
  assert.equal(link, href);
  assert.ok(drawn.slice(i + 1).filter((t) => href.includes(t)).length > 1, 'the link is wrapped over lines');
  writeFileSync(join(ARTIFACTS, 'export.png'), readFileSync(path));
  assert.deepEqual(errors, []);
  await context.close();
});

test('print: one page with the charts, the readouts, the scenario and its sources', async () => {
  const { page, context, errors } = await open(SIZES[1]);
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() =>
    ['conc-wrap', 'occ-wrap', 'readouts', 'print-summary'].map((id) => getComputedStyle(document.getElementById(id)).display !== 'none'),
  );
  assert.deepEqual(shown, [true, true, true, true]);
  assert.match(await page.locator('#print-summary').innerText(), /Scenario[\s\S]*Kamp 2020[\s\S]*Sources[\s\S]*Anesthesiology[\s\S]*model-derived/);
  // the patient as the engine ran it (its covariates filled in by the engine, not the page)
  const patient = await page.evaluate(() => window.__ketasim.shown().result.scenario.patient);
  assert.ok((await page.locator('#print-summary').innerText()).includes(`${patient.weight_kg} kg, ${patient.age_years} years, sex ${patient.sex}, race ${patient.race}`));
  await page.screenshot({ path: join(ARTIFACTS, 'print-preview.png'), fullPage: true });
  const pdf = await page.pdf({ landscape: true, format: 'A4', printBackground: true });
  writeFileSync(join(ARTIFACTS, 'print.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, 1, `${pages} printed pages`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('installable and offline: manifest, service worker; after the server stops, a reload still runs scenarios and the population', async () => {
  const own = await serve();
  let stopped = false;
  try {
    const { page, context, errors } = await open(SIZES[1], '', own.url);
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector('link[rel=manifest]').href;
      return (await fetch(href)).json();
    });
    assert.match(manifest.name, /Ketamine/);
    assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
    // the service worker controls the page once it has precached everything
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60000 });
    const cached = await page.evaluate(async () => {
      const keys = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) keys.push(new URL(r.url).pathname);
      return keys;
    });
    for (const want of [/ketasim_bg-.*\.wasm$/, /ketasim_pop_bg-.*\.wasm$/, /ketasim_pop_simd_bg-.*\.wasm$/, /popworker-.*\.js$/, /worker-.*\.js$/, /population-.*\.js$/, /index\.html$/, /main-.*\.css$/])
      assert.ok(cached.some((k) => want.test(k)), `${want} not precached: ${cached.join(' ')}`);
    own.stop();
    stopped = true;
    await new Promise((r) => setTimeout(r, 500));
    await assert.rejects(fetch(own.url), 'the server is down');
    await page.reload();
    await page.waitForFunction(() => window.__ketasim?.ready === true, null, { timeout: 20000 });
    await settle(page);
    const before = await page.locator('#readouts dd[data-k="cmax"]').innerText();
    await rendersAfter(page, () => page.fill('#weight', '95'));
    const afterText = await page.locator('#readouts dd[data-k="cmax"]').innerText();
    assert.notEqual(afterText, before);
    const pops = await page.evaluate(() => window.__ketasim.populationRenders);
    await page.check('#pop-on');
    await page.waitForFunction((k) => window.__ketasim.populationRenders > k, pops, { timeout: 60000 });
    const size = await page.evaluate(() => window.__ketasim.population().bands.layout.size);
    report.offline = { reload: 'ok', cmaxBefore: before, cmaxAfterWeight95: afterText, populationSize: size, precached: cached.length };
    await page.screenshot({ path: join(ARTIFACTS, 'offline-1280x720.png') });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    if (!stopped) own.stop();
  }
});

test('bundle sizes: first load, and what the service worker precaches', () => {
  const sw = readFileSync(join(WWW, 'dist', 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]);
  const bytes = (f) => statSync(join(WWW, 'dist', f)).size;
  report.precache = { entries: urls.length, bytes: urls.reduce((s, u) => s + bytes(u), 0), swBytes: bytes('sw.js') };
  // both builds of the population module (popwasm.ts): offline, a browser needs the one it runs
  assert.ok(urls.some((u) => /ketasim_pop_bg-.*\.wasm$/.test(u)));
  assert.ok(urls.some((u) => /ketasim_pop_simd_bg-.*\.wasm$/.test(u)));
});
