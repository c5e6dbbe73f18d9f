import t from 'tap';
import { CLIENT_ID, startTipLab } from '../exchange/helpers/tip-lab.js';
import { chromiumMissing, launchChromium, type Browser } from './helpers/chromium.js';

/**
 * The workbench in real headless Chromium (playwright-core, Debian's /usr/bin/chromium): every
 * page loads with no console error and no request off the lab; mint → exchange → trace; the aud
 * lesson's verdict follows the audience list. (One file per part, so each stays well inside the
 * runner's per-file timeout on a busy machine.) Screenshots go to test-artifacts/workbench/.
 */
const missing = chromiumMissing();
if (missing) {
  t.skip(missing, () => {});
} else {
  const tip = await startTipLab();
  const browser: Browser = await launchChromium(tip.lab.url);
  t.teardown(async () => {
    await browser.close();
    await tip.lab.close();
  });
  const url = (path: string) => `${tip.lab.url}/workbench/${path}`;

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
}
