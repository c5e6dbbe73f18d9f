import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { CredentialStore } from '../tokens/credential-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The device_code grant (RFC 8628 §3.4–3.5): the device code is known and this client's; not yet
 * redeemed; not expired (ExpiredToken); not polled sooner than the interval (SlowDown, and the
 * interval grows); not denied (AccessDenied); approved (else AuthorizationPending). Approved, it is
 * redeemed here, at once, so two polls cannot both get tokens.
 */
export const checkDeviceCode: Step<'publicClient', 'device' | 'instance' | 'identityStore' | 'user' | 'authTime' | 'grantId'> = {
  name: 'device-code-approved',
  title: 'the device code is this client\'s and the user approved it',
  run(ctx) {
    const { deviceCode } = ctx.request;
    if (!deviceCode) throw new ExchangeFailure('device.code_missing', 'the device_code grant needs deviceCode (from StartDeviceAuthorization)');
    const device = ctx.tokens.credentials.find('device_code', deviceCode);
    if (!device) throw new ExchangeFailure('device.code_unknown', 'this device code was not issued by this lab (or was forgotten when the lab restarted)', 'StartDeviceAuthorization again');
    const client = ctx.publicClient;
    if (device.client.id !== client.clientId) throw new ExchangeFailure('device.client_mismatch', `this device code was issued to client ${device.client.id}, not to ${client.clientId}`);
    if (CredentialStore.spent(device)) throw new ExchangeFailure('device.code_used', 'this device code was already exchanged for tokens; a device code is good once', 'StartDeviceAuthorization again');
    if (CredentialStore.expired(device, ctx.now)) {
      throw new ExchangeFailure('device.expired', `the device code expired at ${iso(device.expiresAt)}${device.status === 'pending' ? ' before the user approved it' : ''}`, 'StartDeviceAuthorization again, and approve within expiresIn');
    }
    const last = device.lastPolledAt;
    if (!ctx.readOnly) device.lastPolledAt = ctx.now;
    const facts = { userCode: device.userCode, interval: device.interval };
    if (last !== undefined && ctx.now - last < device.interval * 1000) {
      const was = device.interval;
      const grown = was + ctx.profile.settings.device_slow_down_increment_seconds.value;
      if (!ctx.readOnly) device.interval = grown;
      throw new ExchangeFailure(
        'device.slow_down',
        `polled ${(ctx.now - last) / 1000} s after the last poll, sooner than the interval of ${was} s; the interval is now ${grown} s (RFC 8628 §3.5)`,
        `wait ${grown} s between polls`,
        { ...facts, interval: grown },
      );
    }
    if (device.status === 'denied') throw new ExchangeFailure('device.denied', `the user denied the request on the verification page (user code ${device.userCode})`, 'StartDeviceAuthorization again', facts);
    if (device.status === 'pending') {
      throw new ExchangeFailure('device.pending', `user code ${device.userCode} is not approved yet; the user approves it at ${ctx.baseUrl || '<lab>'}/device`, `keep polling every ${device.interval} s`, facts);
    }
    const { state } = ctx;
    const { userId, authTime } = device;
    const instance = state.instances[device.instanceArn];
    const identityStore = instance ? state.identityStores[instance.IdentityStoreId] : undefined;
    const user = userId === undefined ? undefined : identityStore?.Users[userId];
    if (!instance || !identityStore || !user || authTime === undefined) throw new ExchangeFailure('user.not_found', `the user ${userId} who approved no longer exists`);
    if (!ctx.readOnly) CredentialStore.consume(device, ctx.now);
    return {
      reason: `approved by ${user.UserName} at ${iso(authTime * 1000)}${ctx.readOnly ? '' : '; now redeemed'}`,
      facts: { ...facts, userId: user.UserId },
      set: { device, instance, identityStore, user, authTime, grantId: device.grantId },
    };
  },
};
