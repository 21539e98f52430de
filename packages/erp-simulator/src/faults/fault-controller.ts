import type { SimRecord } from '../sap/model/edm';
import { seededRandom, type IndexRandom } from '../seeded-random';
import type { FaultAction, FaultConfig, FaultRule, ValidationFaultRule } from './fault-config';
import { validateFaultConfig } from './validate-fault-config';

/** What the server must do to one request. */
export interface FaultDecision {
  readonly delayMs: number;
  /** The failure to answer with instead of the service, if any. */
  readonly failure?: Exclude<FaultAction, { type: 'latency' }>;
  /** Ids of the rules that fired, for the request log. */
  readonly ruleIds: readonly string[];
}

export interface RequestFacts {
  readonly service: string;
  readonly method: string;
  readonly path: string;
}

interface ActiveRule {
  readonly rule: FaultRule & { readonly id: string };
  readonly pattern?: RegExp;
  remaining?: number;
  hits: number;
}

/** SAP-side effects a fault config can trigger; the server wires them to the SAP service. */
export interface SapFaultHooks {
  expireCsrfTokens(): number;
  expireOAuthTokens(): number;
}

/**
 * Holds the active fault rules and decides, per request, what to inject. Rules are matched in order; every
 * matching latency rule adds its delay, the first matching failure wins.
 */
export class FaultController {
  private rules: ActiveRule[] = [];
  private validation: ValidationFaultRule[] = [];
  private random: IndexRandom;
  private seed: number;
  private nextId = 1;
  private hooks: SapFaultHooks | undefined;

  constructor(private readonly defaultSeed: number) {
    this.seed = defaultSeed;
    this.random = seededRandom(defaultSeed);
  }

  /** @internal Connects the SAP one-shot events; called once by the server. */
  attachSap(hooks: SapFaultHooks): void {
    this.hooks = hooks;
  }

  /** Replaces every rule (PUT semantics) and runs the config's one-shot events. */
  set(config: FaultConfig): void {
    validateFaultConfig(config);
    this.seed = config.seed ?? this.defaultSeed;
    this.random = seededRandom(this.seed);
    this.rules = [];
    for (const rule of config.rules ?? []) this.add(rule);
    this.validation = [...(config.sap?.validation ?? [])];
    if (config.sap?.expireCsrfTokens) this.expireCsrfTokens();
    if (config.sap?.expireOAuthTokens) this.expireOAuthTokens();
  }

  /** Adds one rule after the existing ones and returns its id. */
  add(rule: FaultRule): string {
    validateFaultConfig({ rules: [rule] });
    const id = rule.id ?? `fault-${this.nextId++}`;
    this.rules.push({
      rule: { ...rule, id },
      ...(rule.scope?.path ? { pattern: new RegExp(rule.scope.path) } : {}),
      ...(rule.count === undefined ? {} : { remaining: rule.count }),
      hits: 0,
    });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
    this.validation = [];
  }

  addValidationFailure(rule: ValidationFaultRule): void {
    validateFaultConfig({ sap: { validation: [rule] } });
    this.validation.push(rule);
  }

  expireCsrfTokens(): number {
    return this.hooks?.expireCsrfTokens() ?? 0;
  }

  expireOAuthTokens(): number {
    return this.hooks?.expireOAuthTokens() ?? 0;
  }

  /** The current configuration, with how often each rule fired and how many hits it has left. */
  snapshot(): {
    seed: number;
    rules: (FaultRule & { hits: number; remaining?: number })[];
    sap: { validation: ValidationFaultRule[] };
  } {
    return {
      seed: this.seed,
      rules: this.rules.map((r) => ({
        ...r.rule,
        hits: r.hits,
        ...(r.remaining === undefined ? {} : { remaining: r.remaining }),
      })),
      sap: { validation: [...this.validation] },
    };
  }

  decide(request: RequestFacts): FaultDecision {
    let delayMs = 0;
    let failure: FaultDecision['failure'];
    const ruleIds: string[] = [];
    for (const active of this.rules) {
      if (!this.matches(active, request)) continue;
      if (failure && active.rule.action.type !== 'latency') continue;
      if (active.rule.probability !== undefined && this.random.next() >= active.rule.probability) continue;
      if (active.remaining !== undefined) active.remaining--;
      active.hits++;
      ruleIds.push(active.rule.id);
      const action = active.rule.action;
      if (action.type === 'latency')
        delayMs += action.ms + (action.jitterMs ? this.random.next() * action.jitterMs : 0);
      else failure = action;
    }
    this.rules = this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    return { delayMs: Math.round(delayMs), ...(failure ? { failure } : {}), ruleIds };
  }

  /** The injected validation message for a SAP write, if a rule matches the record. */
  validationFailure(entitySet: string, record: SimRecord): string | undefined {
    for (const rule of this.validation) {
      if (rule.entitySet && rule.entitySet !== entitySet) continue;
      const value = record[rule.property];
      const text = value === null || value === undefined ? '' : String(value);
      const hit =
        (rule.equals !== undefined && text === String(rule.equals)) ||
        (rule.pattern !== undefined && new RegExp(rule.pattern).test(text));
      if (hit) return rule.message ?? `Simulated validation failure: ${rule.property} ${text} is not accepted`;
    }
    return undefined;
  }

  private matches(active: ActiveRule, request: RequestFacts): boolean {
    if (active.remaining !== undefined && active.remaining <= 0) return false;
    const scope = active.rule.scope;
    if (!scope) return true;
    if (scope.service && scope.service !== request.service) return false;
    if (active.pattern && !active.pattern.test(request.path)) return false;
    if (scope.method) {
      const methods = typeof scope.method === 'string' ? [scope.method] : scope.method;
      if (!methods.some((m) => m.toUpperCase() === request.method)) return false;
    }
    return true;
  }
}
