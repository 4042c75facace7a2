// SPDX-License-Identifier: GPL-3.0-or-later
// Browser end-to-end test of `parley serve`: Debian's Chromium, driven by
// playwright-core. Opens the app on the scenario, changes a reservation value,
// waits for the ZOPA count to change, saves screenshots before and after.
// With WAR_URL (a server on a scenario with a war: section), starts a small
// simulation in the app's Simulate panel, waits for it to finish and for its
// chart, and saves a screenshot of that.
// Usage: node e2e.mjs URL OUTDIR [WAR_URL]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, out, warUrl] = process.argv.slice(2);

// Polled: the app's CSP forbids the eval that waitForFunction uses.
async function waitAttr(page, sel, name, pred, ms, what) {
  const t0 = Date.now();
  for (;;) {
    const v = await page.getAttribute(sel, name);
    if (pred(v)) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what} (last: ${v})`);
    await page.waitForTimeout(50);
  }
}
const exe = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: exe,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});
let failed = false;
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  // Any request leaving the loopback server is a failure: the app is self-contained.
  const outside = [];
  const ours = (u) => u.startsWith(url) || (warUrl && u.startsWith(warUrl));
  page.on('request', (r) => { if (!ours(r.url())) outside.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready]', { timeout: 60000 });
  const before = (await page.textContent('#zopa-count')).trim();
  await page.screenshot({ path: join(out, 'app-before.png'), fullPage: true });
  const inputs = page.locator('input[data-kind="reservation"]');
  const n = await inputs.count();
  if (n < 1) throw new Error('no reservation control');
  // Raise the first veto actor's reservation value step by step until the
  // ZOPA count changes (it must, once the value is above its best package).
  let after = before;
  const start = Number(await inputs.first().inputValue());
  for (const delta of [10, 25, 50, 100]) {
    const ready = await page.getAttribute('body', 'data-ready');
    await inputs.first().fill(String(start + delta));
    await inputs.first().dispatchEvent('change');
    // Polled from here: the app's CSP forbids the eval that waitForFunction uses.
    const t0 = Date.now();
    while ((await page.getAttribute('body', 'data-ready')) === ready) {
      if (Date.now() - t0 > 60000) throw new Error('the app did not redraw after the edit');
      await page.waitForTimeout(50);
    }
    after = (await page.textContent('#zopa-count')).trim();
    if (after !== before) break;
  }
  await page.screenshot({ path: join(out, 'app-after.png'), fullPage: true });
  console.log(`ZOPA count: ${before} -> ${after}`);
  if (after === before) { failed = true; console.error('FAIL: the ZOPA count did not change'); }
  // This scenario's Simulate panel: available or says why not.
  const simState = await waitAttr(page, 'body', 'data-sim', (v) => v !== null, 20000,
    'the Simulate panel');
  if (simState === 'unavailable') {
    const note = await page.textContent('#sim-note');
    if (!/no war: section/.test(note)) { failed = true; console.error('FAIL: panel note:', note); }
    if (!(await page.isDisabled('#sim-start'))) { failed = true; console.error('FAIL: Start enabled'); }
  }
  if (warUrl) {
    await page.goto(warUrl);
    await page.waitForSelector('body[data-ready]', { timeout: 60000 });
    await waitAttr(page, 'body', 'data-sim', (v) => v !== null, 20000, 'the Simulate panel');
    await page.fill('#sim-runs', '300');
    await page.fill('#sim-seed', '7');
    await page.click('#sim-start');
    const end = await waitAttr(page, 'body', 'data-sim', (v) => v === 'done' || v === 'failed',
      120000, 'the simulation to finish');
    if (end !== 'done') throw new Error('the simulation ' + end + ': ' + await page.textContent('#sim-text'));
    await page.waitForSelector('#sim-chart', { timeout: 10000 });
    const pts = await page.locator('#sim-chart circle').count();
    const prog = await page.getAttribute('#sim-progress', 'max');
    const status = (await page.textContent('#sim-text')).trim();
    console.log(`simulation: ${status}; ${pts} months drawn`);
    if (pts < 1) { failed = true; console.error('FAIL: no months in the chart'); }
    if (!/done: 300 runs/.test(status) || Number(prog) !== 300) {
      failed = true; console.error('FAIL: progress', status, prog);
    }
    await page.locator('#simulate').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(out, 'app-simulate.png'), fullPage: true });
  }
  if (outside.length) { failed = true; console.error('FAIL: requests outside the app:', outside); }
  if (errors.length) { failed = true; console.error('FAIL: page errors:', errors); }
} catch (e) {
  failed = true;
  console.error('FAIL:', e);
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
