import type { SqlValue } from './driver';

export interface Filters {
  /** ` WHERE …` or the empty string. */
  readonly sql: string;
  readonly params: SqlValue[];
  add(condition: string, ...values: SqlValue[]): void;
}

/** Equality filters over optional values, plus keyset paging by id. */
export function filters(equal: Record<string, string | undefined>, afterId?: number): Filters {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  for (const [column, value] of Object.entries(equal)) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  if (afterId !== undefined) {
    conditions.push('id > ?');
    params.push(afterId);
  }
  return {
    get sql() {
      return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    },
    params,
    add(condition, ...values) {
      conditions.push(condition);
      params.push(...values);
    },
  };
}
