import type { ModelCall } from '../../aws/model/model-service.js';
import type { IdentityCenter } from '../identity-center.js';

/**
 * What an Identity Store handler gets: the call as `runOperation` hands it over (its input read and
 * validated by the model, the call context), and the Identity Center.
 */
export interface IdentityStoreCall extends ModelCall {
  readonly ic: IdentityCenter;
  /** Epoch seconds on the lab's clock. */
  now(): number;
}

/** Handlers by operation name; every operation module exports one of these. */
export type IdentityStoreHandlers = Record<string, (call: IdentityStoreCall) => Promise<unknown> | unknown>;
