import t from 'tap';
import { CLIENT_ID } from '../exchange/helpers/tip-lab.js';
import { withWorkbench } from './helpers/chromium.js';

/**
 * The workbench's aud lesson in real headless Chromium (playwright-core, Debian's /usr/bin/chromium):
 * the same token against other audience lists, and the verdict follows. Screenshots go to
 * test-artifacts/workbench/.
 * (One file per part, so each stays well inside the runner's per-file timeout on a busy machine.)
 */
await withWorkbench(t, ({ tip, browser, url }) => {
  t.test('the aud lesson: the same token, other audience lists, the verdict follows', async (t) => {
    const { page, problems } = await browser.page();
    await page.goto(url('aud'));
    await page.waitForSelector('#verdict[data-verdict="pass"]');
    t.match(await page.locator('#verdict').innerText(), 'PASS — Identity Center finds itself in aud');
    t.equal(await page.locator('#audiences input').inputValue(), CLIENT_ID, 'starts from the saved configuration');

    await page.getByRole('button', { name: 'An API identifier: api://default' }).click();
    await page.waitForSelector('#verdict[data-verdict="fail"][data-audiences=\'["api://default"]\']');
    t.match(await page.locator('#verdict').innerText(), /FAIL — aud names none of these audiences[\s\S]*AuthorizedAudiences\s+\["api:\/\/default"\]/);
    await browser.screenshot(page, 'aud-lesson-fail');

    await page.getByRole('button', { name: 'Same value, other letter case' }).click();
    await page.waitForSelector(`#verdict[data-verdict="fail"][data-audiences='["${CLIENT_ID.toUpperCase()}"]']`);
    t.match(await page.locator('#verdict').innerText(), 'differ only in letter case; aud is compared exactly');

    // Typing: add the right value beside the wrong one, and the verdict turns.
    await page.getByRole('button', { name: 'Add an audience' }).click();
    await page.keyboard.type(CLIENT_ID);
    await page.waitForSelector(`#verdict[data-verdict="pass"][data-audiences='["${CLIENT_ID.toUpperCase()}","${CLIENT_ID}"]']`);
    t.match(await page.locator('#verdict').innerText(), `contains "${CLIENT_ID}"`);

    // An empty list is not a grant PutApplicationGrant would take: said, not checked.
    const removes = page.getByRole('button', { name: /^Remove audience/ });
    while ((await removes.count()) > 0) await removes.first().click();
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForSelector('#verdict[data-verdict="error"]');
    t.match(await page.locator('#verdict').innerText(), 'A jwt-bearer grant lists 1 to 10 audiences for each trusted token issuer; PutApplicationGrant refuses 0.');

    await page.getByRole('button', { name: 'The saved configuration' }).click();
    await page.waitForSelector('#verdict[data-verdict="pass"]');
    await browser.screenshot(page, 'aud-lesson-pass');
    t.equal(tip.lab.exchanges().length, 0, 'the lesson exchanged nothing');
    t.same(problems(), [], 'no console error');
    await page.close();
  });
});
