/** The $filter subset the simulator understands (reference A.7): comparisons, and/or/not, a few functions. */
export type ODataVersion = 'v2' | 'v4';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  /** V2 datetime'…' / datetimeoffset'…', V4 bare date-time: absolute milliseconds. */
  | { readonly kind: 'datetime'; readonly ms: number }
  /** V4 bare date (Edm.Date), midnight UTC. */
  | { readonly kind: 'date'; readonly ms: number }
  /** V2 time'PT…', V4 bare time of day: milliseconds since midnight. */
  | { readonly kind: 'time'; readonly ms: number }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'guid'; readonly value: string }
  | { readonly kind: 'null' };

export type StringFunction = 'startswith' | 'endswith' | 'substringof' | 'contains';

export type FilterNode =
  | { readonly type: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'not'; readonly operand: FilterNode }
  | { readonly type: 'compare'; readonly op: CompareOp; readonly property: string; readonly literal: Literal }
  | { readonly type: 'function'; readonly name: StringFunction; readonly property: string; readonly text: string };
