import t from 'tap';
import { CLIENT_ID, startTipLab } from '../exchange/helpers/tip-lab.js';
import { chromiumMissing, launchChromium, type Browser } from './helpers/chromium.js';

/**
 * The workbench in real headless Chromium (playwright-core, Debian's /usr/bin/chromium): every
 * page loads with no console error and no request off the lab; mint → exchange → trace; the aud
 * lesson's verdict follows the audience list. Screenshots go to test-artifacts/workbench/.
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

  t.test('token workbench: mint, explain, exchange for real; the trace beside the result', async (t) => {
    const { page, problems } = await browser.page();
    await page.goto(url('token'));
    await page.waitForSelector('body[data-ready]');
    t.equal(await page.locator('#issuer').inputValue(), 'okta');
    t.equal(await page.locator('#aud').inputValue(), CLIENT_ID, 'aud starts as the audience the application trusts');
    t.equal(await page.locator('#application').inputValue(), tip.applicationArn);

    await page.getByRole('button', { name: 'Mint token' }).click();
    await page.waitForFunction(() => (document.getElementById('token') as HTMLTextAreaElement).value.split('.').length === 3);
    await page.locator('#decoded-box summary').click();
    t.match(await page.locator('#decoded').innerText(), `"aud": "${CLIENT_ID}"`);

    await page.getByRole('button', { name: 'Explain (read-only)' }).click();
    await page.waitForSelector('#result [data-outcome="accepted"]');
    t.equal(await page.locator('#trace ol.trace > li').count(), 14, 'every step of the jwt-bearer pipeline');
    t.equal(await page.locator('#trace li[data-step="tokens-issued"]').getAttribute('data-verdict'), 'skip', 'read-only: no tokens issued');
    t.equal(tip.lab.exchanges().length, 0, 'explain logged nothing');

    await page.getByRole('button', { name: 'Exchange for real' }).click();
    await page.waitForSelector('#result [data-outcome="success"]');
    t.equal(await page.locator('#trace li[data-step="tokens-issued"]').getAttribute('data-verdict'), 'pass', 'tokens issued for real');
    t.match(await page.locator('#result').innerText(), /"aws:instance_arn": "arn:aws:sso:::instance\/ssoins-/);
    const [entry] = tip.lab.exchanges();
    t.equal(entry?.outcome, 'success', 'the exchange is in the lab\'s exchange log');
    await browser.screenshot(page, 'token-exchanged');

    // The same token again: a real exchange spends it, so the second one is a replay.
    await page.getByRole('button', { name: 'Exchange for real' }).click();
    await page.waitForSelector('#result [data-outcome="failure"]');
    t.match(await page.locator('#result').innerText(), /Refused at assertion-not-replayed \(assertion\.replayed\) — a real call gets InvalidGrantException \(400 invalid_grant\)/);

    // An access token's aud: refused at the aud step, with the facts and the fix beside it.
    await page.locator('#aud').fill('api://default');
    await page.locator('#claims').fill('{"scp": ["openid"]}');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await page.waitForFunction(() => (document.getElementById('decoded') as HTMLElement).textContent!.includes('api://default'));
    await page.getByRole('button', { name: 'Explain (read-only)' }).click();
    await page.waitForSelector('#result [data-outcome="refused"]');
    const lefts = await page.locator('#trace ol.trace > li').evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().left)));
    t.equal(lefts.length, 14);
    t.equal(new Set(lefts).size, 1, 'every step, skipped ones too, is laid out in the trace column');
    t.ok(lefts[0]! > 0);
    const aud = page.locator('#trace li[data-step="audience-authorized"]');
    t.equal(await aud.getAttribute('data-verdict'), 'fail');
    t.match(await aud.innerText(), /the token's aud\s+"api:\/\/default"\s+trusted token issuer\s+okta\s+AuthorizedAudiences\s+\["0oa-tip-app"\]/);
    t.match(await page.locator('#result').innerText(), 'this is an access token: its aud "api://default" is the API identifier, not your client id');
    await browser.screenshot(page, 'token-aud-refused');

    await page.getByRole('link', { name: 'Exchange log' }).click();
    await page.waitForSelector('body[data-ready]');
    t.equal(await page.locator('#entries > li').count(), 2, 'both real exchanges, not the explains');
    t.same(problems(), []);
    await page.close();
  });

  t.test('exchange log: each entry opens its trace, also from a link', async (t) => {
    const { page, problems } = await browser.page();
    const [first] = tip.lab.exchanges();
    await page.goto(`${url('exchanges')}#${first!.id}`);
    await page.waitForSelector('body[data-ready]');
    const opened = page.locator(`details[id="${first!.id}"]`);
    t.equal(await opened.evaluate((d) => (d as HTMLDetailsElement).open), true, 'the linked entry is open');
    t.equal(await opened.locator('ol.trace > li').count(), 14);
    const other = page.locator('#entries details[data-outcome="failure"]');
    t.equal(await other.evaluate((d) => (d as HTMLDetailsElement).open), false);
    await other.locator(':scope > summary').focus();
    await page.keyboard.press('Enter');
    t.equal(await other.evaluate((d) => (d as HTMLDetailsElement).open), true, 'Enter opens an entry');
    t.match(await other.innerText(), /Refused at assertion-not-replayed/);
    await browser.screenshot(page, 'exchange-log');
    t.same(problems(), []);
    await page.close();
  });

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
    t.equal(tip.lab.exchanges().length, 2, 'the lesson exchanged nothing');
    t.same(problems(), [], 'no console error');
    await page.close();
  });
}
