import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { resolveInstance } from '../oauth-server/resolve-instance.js';

/** StartDeviceAuthorization: startUrl names an instance of this lab (the client's, if it named one). */
export const checkStartUrl: Step<'publicClient', 'instance' | 'identityStore'> = {
  name: 'start-url-resolved',
  title: 'startUrl names an Identity Center instance',
  run(ctx) {
    const { startUrl } = ctx.request;
    if (!startUrl) throw new ExchangeFailure('device.start_url_invalid', 'startUrl is missing: the access portal URL whose users may approve', 'pass the start URL, e.g. https://d-xxxxxxxxxx.awsapps.com/start');
    const { state } = ctx;
    const instance = resolveInstance(startUrl, state);
    const identityStore = instance ? state.identityStores[instance.IdentityStoreId] : undefined;
    if (!instance || !identityStore) {
      throw new ExchangeFailure(
        'device.start_url_invalid',
        `startUrl ${JSON.stringify(startUrl)} names no Identity Center instance of this lab; the lab recognises a URL with the instance id (ssoins-…) or identity store id (d-…) in it`,
        'pass https://<identity store id>.awsapps.com/start, or a URL with the instance id',
        { startUrl },
      );
    }
    const client = ctx.publicClient;
    if (client.instanceArn && client.instanceArn !== instance.InstanceArn) {
      throw new ExchangeFailure('device.start_url_invalid', `startUrl names instance ${instance.InstanceArn}, and the client was registered with issuerUrl ${client.issuerUrl} of ${client.instanceArn}`, undefined, { startUrl });
    }
    return { reason: `instance ${instance.InstanceArn}`, facts: { startUrl, instanceArn: instance.InstanceArn }, set: { instance, identityStore } };
  },
};

/** StartDeviceAuthorization: a device code and a user code, with the profile's lifetime and interval. */
export const beginDeviceAuthorization: Step<'client' | 'instance', 'device' | 'output'> & { effect: true } = {
  name: 'device-authorization-started',
  title: 'a device authorization is started',
  effect: true,
  run(ctx) {
    const settings = ctx.profile.settings;
    const ttlSeconds = settings.device_code_ttl_seconds.value;
    const device = ctx.tokens.credentials.issueDeviceCode({
      client: { kind: 'public', id: ctx.client.id },
      instanceArn: ctx.instance.InstanceArn,
      issuedAt: ctx.now,
      expiresAt: ctx.now + ttlSeconds * 1000,
      startUrl: ctx.request.startUrl ?? '',
      interval: settings.device_poll_interval_seconds.value,
      status: 'pending',
    });
    // The access portal's device page, https://<portal>/start/#/device (captured); the lab is its own portal.
    const verificationUri = `${ctx.baseUrl ?? ''}${settings.device_verification_path.value}`;
    const output = {
      deviceCode: device.value,
      userCode: device.userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${device.userCode}`,
      expiresIn: ttlSeconds,
      interval: device.interval,
    };
    return { reason: `user code ${device.userCode}, valid until ${new Date(device.expiresAt).toISOString()}, poll every ${device.interval} s`, facts: { userCode: device.userCode }, set: { device, output } };
  },
};
