// SPDX-License-Identifier: GPL-3.0-or-later
// Browser end-to-end test of `parley serve`: Debian's Chromium, driven by
// playwright-core. Opens the app on the scenario, changes a reservation value,
// waits for the ZOPA count to change, saves screenshots before and after.
// Usage: node e2e.mjs URL OUTDIR
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, out] = process.argv.slice(2);
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
  page.on('request', (r) => { if (!r.url().startsWith(url)) outside.push(r.url()); });
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
