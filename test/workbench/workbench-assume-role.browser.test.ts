import t from 'tap';
import { ACCOUNT, ROLE_ARN, TIP_TRUST_POLICY } from '../exchange/helpers/tip-lab.js';
import { ARTIFACTS, withWorkbench } from './helpers/chromium.js';

/**
 * The token workbench's last step in real headless Chromium: exchange for real, then AssumeRole with
 * that identity context — once for a role that trusts it (the session carries the user), once for a
 * role whose trust policy refuses sts:SetContext (the lab's reason and the fix). Then a docs link.
 * And the step after AssumeRole, GetDataAccess with that session, refused in a lab with no S3 Access
 * Grants instance.
 */
const NO_CONTEXT_ROLE = `arn:aws:iam::${ACCOUNT}:role/NoSetContext`;
const config = {
  aws: {
    roles: [
      { arn: ROLE_ARN, trust_policy: TIP_TRUST_POLICY },
      { arn: NO_CONTEXT_ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] } },
    ],
  },
};

await withWorkbench(
  t,
  ({ tip, browser, url }) => {
    t.test('exchange → AssumeRole with this identity context: the session\'s user, then a refusal with its reason', async (t) => {
      const { page, problems } = await browser.page();
      await page.goto(url('token'));
      await page.waitForSelector('body[data-ready]');
      await page.getByRole('button', { name: 'Mint token' }).click();
      await page.waitForFunction(() => (document.getElementById('token') as HTMLTextAreaElement).value.split('.').length === 3);
      await page.getByRole('button', { name: 'Exchange for real' }).click();
      await page.waitForSelector('#result [data-outcome="success"]');

      // The roles come from aws.roles, the one that allows sts:SetContext first.
      await page.waitForFunction(() => (document.getElementById('role') as HTMLSelectElement).options.length === 2);
      t.equal(await page.locator('#role').inputValue(), ROLE_ARN);
      t.match(await page.locator('#role-note').innerText(), 'Its trust policy allows sts:AssumeRole and sts:SetContext to arn:aws:iam::000000000000:root.');
      const cli = await page.locator('pre[data-step="assume-role"]').innerText();
      t.match(cli, `aws sts assume-role --role-arn ${ROLE_ARN} \\`);
      t.match(cli, /--provided-contexts ProviderArn=arn:aws:iam::aws:contextProvider\/IdentityCenter,ContextAssertion=\S{40,}/, 'the copyable command is still there');

      await page.getByRole('button', { name: 'AssumeRole with this identity context' }).click();
      await page.waitForSelector('#assume-result [data-outcome="assumed"]');
      const session = await page.locator('#assume-result').innerText();
      t.match(session, 'arn:aws:sts::000000000000:assumed-role/IdentityBearer/workbench');
      t.match(session, /the user\s+alice/);
      t.match(session, new RegExp(`identitystore:UserId\\s+${tip.users.alice}`));
      t.match(session, /identitycenter:InstanceArn\s+arn:aws:sso:::instance\/ssoins-/);
      t.match(session, tip.instanceArn);
      t.match(session, /access key id\s+ASIA[A-Z0-9]{16}/);
      t.match(session, /secret access key\s+issued, not shown/);
      const keyId = /ASIA[A-Z0-9]{16}/.exec(session)![0];
      const record = tip.lab.services.aws.credentials.lookup(keyId)!;
      t.equal(record.sessionContext?.['identitystore:UserId'], tip.users.alice, 'the lab\'s STS registered that session, with the user');
      t.notMatch(await page.content(), record.secretAccessKey, 'the secret is nowhere on the page');
      await page.locator('#assume-result').scrollIntoViewIfNeeded();
      await browser.screenshot(page, 'token-assume-role');
      await page.locator('.assume-role').screenshot({ path: `${ARTIFACTS}token-assume-role-step.png` });

      await page.locator('#role').selectOption(NO_CONTEXT_ROLE);
      t.match(await page.locator('#role-note').innerText(), 'no statement allows sts:SetContext');
      t.match(await page.locator('pre[data-step="assume-role"]').innerText(), `--role-arn ${NO_CONTEXT_ROLE}`, 'the command follows the chosen role');
      await page.getByRole('button', { name: 'AssumeRole with this identity context' }).click();
      await page.waitForSelector('#assume-result [data-outcome="assume-refused"]');
      const refused = await page.locator('#assume-result').innerText();
      t.match(refused, 'A real call gets AccessDenied (403): User: arn:aws:iam::000000000000:root is not authorized to perform: sts:SetContext on resource: arn:aws:iam::000000000000:role/NoSetContext');
      t.match(refused, `AssumeRole: role.not_assumable: the trust policy of ${NO_CONTEXT_ROLE}: no statement allows sts:SetContext to arn:aws:iam::000000000000:root`);
      t.match(refused, /Fix: give arn:aws:iam::000000000000:role\/NoSetContext .* allows both sts:AssumeRole and sts:SetContext/);
      await browser.screenshot(page, 'token-assume-role-refused');
      await page.locator('.assume-role').screenshot({ path: `${ARTIFACTS}token-assume-role-step-refused.png` });

      // The refusal answers with STS's own status (403): the only non-2xx the page saw.
      const expected = (p: string) => /(HTTP 403: POST |status of 403).*assume-role|Failed to load resource: the server responded with a status of 403/.test(p);
      t.same(problems().filter((p) => !expected(p)), []);
      t.ok(problems().some(expected), 'the 403 was STS\'s refusal');

      // The footer's documentation links are served by the lab.
      await page.getByRole('link', { name: 'docs/exchange.md' }).click();
      await page.waitForLoadState();
      t.equal(page.url(), `${tip.lab.url}/workbench/docs/exchange.md`);
      t.match(await page.locator('body').innerText(), /^# /);
      await page.close();
    });

    t.test('after AssumeRole, "Get data access" runs GetDataAccess with that session and shows the refusal with its reason', async (t) => {
      const { page, problems } = await browser.page();
      await page.goto(url('token'));
      await page.waitForSelector('body[data-ready]');
      await page.getByRole('button', { name: 'Mint token' }).click();
      await page.waitForFunction(() => (document.getElementById('token') as HTMLTextAreaElement).value.split('.').length === 3);
      await page.getByRole('button', { name: 'Exchange for real' }).click();
      await page.waitForSelector('#result [data-outcome="success"]');
      await page.waitForFunction(() => (document.getElementById('role') as HTMLSelectElement).options.length === 2);
      await page.getByRole('button', { name: 'AssumeRole with this identity context' }).click();
      await page.waitForSelector('#assume-result [data-outcome="assumed"]');

      // This lab has no S3 Access Grants instance: the service's own refusal, with the lab's reason.
      await page.locator('#data-target').fill('s3://data-bucket/a.csv');
      await page.getByRole('button', { name: 'Get data access' }).click();
      await page.waitForSelector('#data-access-result [data-outcome="data-access-refused"]');
      const refused = await page.locator('#data-access-result').innerText();
      t.match(refused, 'GetDataAccess refused');
      t.match(refused, 'A real call gets AccessGrantsInstanceNotExistsError (404): Access Grants Instance does not exist');
      t.match(refused, 'GetDataAccess: instance.not_found: account 000000000000 has no S3 Access Grants instance in us-east-1; create one with CreateAccessGrantsInstance');
      t.equal(await page.getByRole('button', { name: 'Get data access' }).isDisabled(), false, 'the button is enabled again');
      t.notOk(problems().some((p) => /GetDataAccess failed/.test(p)));
      await page.close();
    });
  },
  { config },
);
