/**
 * The lab's only source of time. Everything that compares or stamps times takes a Clock,
 * so tests can freeze and advance it (the habit of jose's `currentDate`).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface FixedClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

/** A clock that stands still until told to move. */
export function fixedClock(start: number | Date = Date.now()): FixedClock {
  let current = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => current,
    set(ms) {
      current = ms;
    },
    advance(ms) {
      current += ms;
    },
  };
}

/** Whole seconds since the epoch, as JWT NumericDate values are. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
