import t from 'tap';
import { DescribeApplicationProviderCommand } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { encodeLabReason, formatLabReason, LAB_REASON_HEADER, readLabReason } from '../../server/aws/protocols/lab-reason-header.js';
import { ACCOUNT, startTipLab } from '../exchange/helpers/tip-lab.js';

t.test('the text: the step first, then the reason, then the fix', async (t) => {
  t.equal(formatLabReason({ step: 'audience-authorized', reason: 'aud "x" is not listed' }), 'audience-authorized: aud "x" is not listed');
  t.equal(formatLabReason({ step: 'audience-authorized', reason: 'aud "x" is not listed', fix: 'add it' }), 'audience-authorized: aud "x" is not listed. Fix: add it');
  t.equal(formatLabReason({ step: 'request', reason: 'bad body.', fix: 'send JSON' }), 'request: bad body. Fix: send JSON', 'no doubled period');
});

t.test('the encoding: printable ASCII but % as is, everything else percent-encoded UTF-8; it decodes back exactly', async (t) => {
  t.equal(encodeLabReason('a b: "c" / d'), 'a b: "c" / d', 'readable');
  t.equal(encodeLabReason('100% é\n'), '100%25 %C3%A9%0A');
  for (const text of ['plain', 'aud "Ünïcode" ✓', 'alg 😀', '50% off', 'line\nbreak\ttab', 'x'.repeat(10)]) {
    t.equal(readLabReason(encodeLabReason(text)), text, JSON.stringify(text));
  }
  t.equal(readLabReason(encodeLabReason('lone \ud800 surrogate')), 'lone \ufffd surrogate', 'a lone surrogate becomes U+FFFD');
  const long = encodeLabReason('é'.repeat(3000));
  t.ok(long.length <= 4000 && long.length % 6 === 0, 'capped, never inside a character');
  t.equal(readLabReason('%E0%A4%A'), '%E0%A4%A', 'a value that does not decode is returned raw');
  t.equal(readLabReason(undefined), '');
});

t.test('every protocol writes the header the same one way, starting with the step', async (t) => {
  const tip = await startTipLab();
  t.teardown(() => tip.lab.close());
  const rawOf = (err: unknown) => (err as { $response: { headers: Record<string, string> } }).$response.headers[LAB_REASON_HEADER] ?? '';

  const oidc = await tip.exchange({ assertion: await tip.mint({ claims: { aud: 'someone else' } }) }).catch((e: unknown) => e);
  const admin = await tip.ssoAdmin.send(new DescribeApplicationProviderCommand({ ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/nope' })).catch((e: unknown) => e);
  const sts = await tip.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Undeclared`, RoleSessionName: 'session' })).catch((e: unknown) => e);

  for (const [protocol, err, step] of [
    ['SSO OIDC (restJson1)', oidc, 'audience-authorized'],
    ['SSO Admin (awsJson1_1)', admin, 'DescribeApplicationProvider'],
    ['STS (awsQuery)', sts, 'AssumeRole'],
  ] as const) {
    const raw = rawOf(err);
    const text = readLabReason(raw);
    t.ok(text.startsWith(`${step}: `), `${protocol}: starts with the step (${text.slice(0, 80)})`);
    t.equal(raw, encodeLabReason(text), `${protocol}: the one encoding (spaces stay spaces, % and non-ASCII are escaped)`);
  }
});
