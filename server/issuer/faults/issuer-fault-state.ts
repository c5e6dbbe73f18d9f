import type { EndpointFault, IssuerFaults } from '../../config/lab-config.js';

export type FaultTarget = 'discovery' | 'jwks';

/**
 * The faults an issuer is injecting right now: what its discovery and JWKS endpoints do instead of
 * answering normally, and which key ids it leaves out of its JWKS. Starts from the config; the
 * control API changes it at runtime; `reset()` goes back to a healthy issuer (not to the config).
 */
export class IssuerFaultState {
  #faults: IssuerFaults;

  constructor(initial: IssuerFaults | undefined) {
    this.#faults = structuredClone(initial ?? {});
  }

  get(): IssuerFaults {
    return structuredClone(this.#faults);
  }

  for(target: FaultTarget): EndpointFault | undefined {
    const f = this.#faults[target];
    return f && f.kind !== 'none' ? f : undefined;
  }

  droppedKids(): ReadonlySet<string> {
    return new Set(this.#faults.dropped_kids ?? []);
  }

  /** Merges: targets not named keep their current fault. */
  set(patch: IssuerFaults): IssuerFaults {
    this.#faults = { ...this.#faults, ...structuredClone(patch) };
    return this.get();
  }

  reset(): void {
    this.#faults = {};
  }
}
