import t from 'tap';
import { CLIENT_ID } from '../exchange/helpers/tip-lab.js';
import { withWorkbench } from './helpers/chromium.js';

/**
 * The token workbench in real headless Chromium (playwright-core, Debian's /usr/bin/chromium): mint →
 * explain → exchange for real, the trace beside the result. Screenshots go to test-artifacts/workbench/.
 * (One file per part, so each stays well inside the runner's per-file timeout on a busy machine.)
 */
await withWorkbench(t, ({ tip, browser, url }) => {
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
    t.equal(await page.locator('#trace ol.trace > li').count(), 15, 'every step of the jwt-bearer pipeline');
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
    t.equal(lefts.length, 15);
    t.equal(new Set(lefts).size, 1, 'every step, skipped ones too, is laid out in the trace column');
    t.ok(lefts[0]! > 0);
    const aud = page.locator('#trace li[data-step="audience-authorized"]');
    t.equal(await aud.getAttribute('data-verdict'), 'fail');
    t.match(await aud.innerText(), /the token's aud\s+"api:\/\/default"\s+trusted token issuer\s+okta\s+AuthorizedAudiences\s+\["0oa-tip-app"\]/);
    t.match(await page.locator('#result').innerText(), 'exchange your application\'s ID token instead: this is an access token, and its aud "api://default" names an API, not your client id');
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
    t.equal(await opened.locator('ol.trace > li').count(), 15);
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
});
