export type Verdict = 'pass' | 'fail' | 'skip';

/** One step of one exchange, as the exchange log, `x-tti-lab-reason` and `explain` show it. */
export interface TraceEntry {
  step: string;
  title: string;
  verdict: Verdict;
  reason: string;
  fix?: string;
  /** The values the step compared (the token's aud, the grant's audiences …). */
  facts?: Record<string, unknown>;
  /** For a failure: the behaviour-profile key that decided the wire answer. */
  failure?: string;
}
