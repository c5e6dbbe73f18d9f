import t from 'tap';
import { CLIENT_ID } from '../exchange/helpers/tip-lab.js';
import { withWorkbench } from './helpers/chromium.js';

/**
 * Every workbench page in real headless Chromium (playwright-core, Debian's /usr/bin/chromium): no
 * console error, no request off the lab, labelled controls. Screenshots go to test-artifacts/workbench/.
 * (One file per part, so each stays well inside the runner's per-file timeout on a busy machine.)
 */
await withWorkbench(t, ({ tip, browser, url }) => {
  t.test('every page loads with no console error, labelled controls, a skip link first', async (t) => {
    for (const [path, heading] of [['', 'Overview'], ['token', 'Token workbench'], ['exchanges', 'Exchange log'], ['aud', 'Lesson: aud']] as const) {
      const { page, problems } = await browser.page();
      await page.goto(url(path));
      await page.waitForSelector('body[data-ready]');
      t.equal(await page.locator('h1').innerText(), heading, `${path || 'overview'}: its heading`);
      t.equal(await page.locator('#status.banner.fail').count(), 0, 'no error shown');
      const unlabelled = await page.$$eval('input, select, textarea', (els) =>
        els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label')).map((e) => e.id || e.outerHTML),
      );
      t.same(unlabelled, [], 'every control has a label');
      await page.keyboard.press('Tab');
      t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab reaches the skip link');
      await browser.screenshot(page, `page-${path || 'overview'}`);
      t.same(problems(), [], 'no console error or warning, no failed request, nothing off the lab');
      await page.close();
    }
  });

  t.test('overview: the setup as the SDK made it', async (t) => {
    const { page, problems } = await browser.page();
    await page.goto(url(''));
    await page.waitForSelector('body[data-ready]');
    const text = await page.locator('main').innerText();
    t.match(text, 'tip-app');
    t.match(text, tip.applicationArn);
    t.match(text, CLIENT_ID, 'the authorized audience');
    t.match(text, /email\s*→\s*emails\.value/);
    t.match(text, 'alice@example.com');
    t.same(problems(), []);
    await page.close();
  });
});
