import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { CredentialStore } from '../tokens/credential-store.js';

/** Verification page: the user code belongs to a pending, unexpired device authorization. */
export const checkUserCode: Step<'verification', 'device' | 'instance' | 'identityStore'> = {
  name: 'user-code-pending',
  title: 'the user code belongs to a pending device authorization',
  run(ctx) {
    const { userCode } = ctx.verification;
    const device = userCode ? ctx.tokens.credentials.byUserCode(userCode) : undefined;
    if (!device) {
      throw new ExchangeFailure('verification.code_unknown', userCode ? `no device authorization has user code ${JSON.stringify(userCode)}` : 'no user code was entered', 'enter the code your device shows (letters only; case and dashes do not matter)', { userCode });
    }
    if (device.status !== 'pending' || CredentialStore.spent(device)) {
      throw new ExchangeFailure('verification.code_used', `user code ${device.userCode} was already ${device.status === 'denied' ? 'denied' : 'approved'}`, 'start again on the device if you need another code', { userCode: device.userCode });
    }
    if (CredentialStore.expired(device, ctx.now)) {
      throw new ExchangeFailure('verification.code_expired', `user code ${device.userCode} expired at ${new Date(device.expiresAt).toISOString()}`, 'start again on the device', { userCode: device.userCode });
    }
    const { state } = ctx;
    const instance = state.instances[device.instanceArn];
    const identityStore = instance ? state.identityStores[instance.IdentityStoreId] : undefined;
    if (!instance || !identityStore) throw new ExchangeFailure('verification.code_unknown', `the instance ${device.instanceArn} of user code ${device.userCode} no longer exists`);
    const client = ctx.tokens.clients.get(device.client.id);
    return {
      reason: `user code ${device.userCode} of client "${client?.clientName ?? device.client.id}", pending`,
      facts: { userCode: device.userCode, instanceArn: instance.InstanceArn },
      set: { device, instance, identityStore, ...(client ? { publicClient: client } : {}) },
    };
  },
};

/** Verification page: the approving user is a user of the instance (a denial needs no user). */
export const checkVerifyingUser: Step<'verification' | 'identityStore'> = {
  name: 'verifying-user-known',
  title: 'the approving user is a user of the instance',
  run(ctx) {
    const v = ctx.verification;
    if (v.decision === 'deny') return { reason: 'the user denies the request' };
    const user = v.userId === undefined ? undefined : ctx.identityStore.Users[v.userId];
    if (!user) {
      throw new ExchangeFailure(
        'verification.user_unknown',
        v.userId === undefined ? 'the approval form named no user' : `${JSON.stringify(v.userId)} is not a user of identity store ${ctx.identityStore.IdentityStoreId}`,
        'pick a user on the verification page',
        { userId: v.userId },
      );
    }
    return { reason: `approved by ${user.UserName} (${user.UserId})`, facts: { userId: user.UserId }, set: { user } };
  },
};

/** Verification page: the decision is recorded; the device's next poll sees it. */
export const recordDeviceDecision: Step<'device' | 'verification'> & { effect: true } = {
  name: 'device-decision-recorded',
  title: 'the user\'s decision is recorded',
  effect: true,
  run(ctx) {
    const { device, user } = ctx;
    if (ctx.verification.decision === 'deny') {
      device.status = 'denied';
      return { reason: `user code ${device.userCode} denied` };
    }
    if (!user) throw new Error('device-decision-recorded: an approval without verifying-user-known'); // the lab's bug
    device.status = 'approved';
    device.userId = user.UserId;
    device.authTime = Math.floor(ctx.now / 1000);
    return { reason: `user code ${device.userCode} approved by ${user.UserName}` };
  },
};
