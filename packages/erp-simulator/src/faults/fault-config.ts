/**
 * Fault injection, as plain JSON so the same shapes work in code, on the CLI and through /__sim/faults.
 *
 * A rule applies an action to the requests its scope matches: to the next `count` of them, or to each with
 * `probability` (drawn from the simulator's seeded generator, so a run repeats), or to every one until it is
 * removed. With both, each matching request is hit with the probability until `count` hits are used up.
 */
export type FaultAction =
  /** Delay the answer by ms, plus a uniform jitter in [0, jitterMs]. Combines with the other actions. */
  | { readonly type: 'latency'; readonly ms: number; readonly jitterMs?: number }
  /** 429 Too Many Requests with Retry-After (seconds). */
  | { readonly type: 'rate-limit'; readonly retryAfterSeconds?: number }
  /** 503 Service Unavailable, with Retry-After when given. */
  | { readonly type: 'unavailable'; readonly retryAfterSeconds?: number }
  /** Any other error status (500, 502, 504…), with a plain-text body. */
  | { readonly type: 'status'; readonly status: number }
  /** Destroy the socket without an answer (the client sees a reset / "socket hang up"). */
  | { readonly type: 'reset' };

export interface FaultScope {
  /** Service name: "sap", "mes". */
  readonly service?: string;
  /** Regular expression (source text) tested against the path. */
  readonly path?: string;
  /** One method or several (upper case). */
  readonly method?: string | readonly string[];
}

export interface FaultRule {
  /** Names the rule in the control endpoint's answers; generated when absent. */
  readonly id?: string;
  readonly action: FaultAction;
  readonly scope?: FaultScope;
  readonly count?: number;
  readonly probability?: number;
}

/** SAP writes whose record matches fail validation: how a test makes one changeset of a $batch fail. */
export interface ValidationFaultRule {
  /** Entity set name as the service exposes it (A_ProductionOrder_2, ProdnOrdConf2…); all sets when absent. */
  readonly entitySet?: string;
  readonly property: string;
  /** Matches when the record's property equals this value (compared as text). */
  readonly equals?: string | number | boolean;
  /** Matches when the property's text matches this regular expression. */
  readonly pattern?: string;
  readonly message?: string;
}

export interface FaultConfig {
  readonly rules?: readonly FaultRule[];
  /** Seed of the generator behind `probability` and jitter; defaults to the simulator's seed. */
  readonly seed?: number;
  readonly sap?: {
    readonly validation?: readonly ValidationFaultRule[];
    /** One-shot events applied when the config is set: drop CSRF sessions / invalidate bearer tokens. */
    readonly expireCsrfTokens?: boolean;
    readonly expireOAuthTokens?: boolean;
  };
}
