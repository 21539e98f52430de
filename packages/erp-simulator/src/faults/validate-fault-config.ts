import type { FaultConfig } from './fault-config';

/** Thrown for a fault configuration that cannot work; the control endpoint answers it with 400. */
export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError';
}

const ACTIONS = ['latency', 'rate-limit', 'unavailable', 'status', 'reset'];

function regex(source: string, where: string): void {
  try {
    new RegExp(source);
  } catch {
    throw new FaultConfigError(`${where}: invalid regular expression ${source}`);
  }
}

/** Checks a config that may come from JSON over HTTP, so every field is checked, not trusted. */
export function validateFaultConfig(config: FaultConfig): void {
  if (typeof config !== 'object' || config === null) throw new FaultConfigError('The fault config must be an object');
  if (config.rules !== undefined && !Array.isArray(config.rules)) throw new FaultConfigError('rules must be an array');
  (config.rules ?? []).forEach((rule, i) => {
    const where = `rules[${i}]`;
    const action = rule?.action;
    if (!action || !ACTIONS.includes(action.type)) {
      throw new FaultConfigError(`${where}.action.type must be one of ${ACTIONS.join(', ')}`);
    }
    if (action.type === 'latency' && !(Number.isFinite(action.ms) && action.ms >= 0)) {
      throw new FaultConfigError(`${where}: latency needs ms >= 0`);
    }
    if (
      action.type === 'status' &&
      !(Number.isInteger(action.status) && action.status >= 400 && action.status <= 599)
    ) {
      throw new FaultConfigError(`${where}: status must be an error status (400-599)`);
    }
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0)) {
      throw new FaultConfigError(`${where}: count must be a positive integer`);
    }
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
      throw new FaultConfigError(`${where}: probability must be between 0 and 1`);
    }
    if (rule.scope?.path) regex(rule.scope.path, where);
  });
  (config.sap?.validation ?? []).forEach((rule, i) => {
    const where = `sap.validation[${i}]`;
    if (typeof rule?.property !== 'string') throw new FaultConfigError(`${where}.property is required`);
    if (rule.equals === undefined && rule.pattern === undefined) {
      throw new FaultConfigError(`${where} needs equals or pattern`);
    }
    if (rule.pattern) regex(rule.pattern, where);
  });
}
