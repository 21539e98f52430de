/** A stop as a machine's PLC gateway reports it on `factory/<line>/<machine>/state`. */
export interface MachineEvent {
  readonly topic: string;
  readonly machine: string;
  /** Per machine, from 1: the order the machine reported its stops in. */
  readonly seq: number;
  readonly payload: {
    readonly state: 'down';
    readonly reason: string;
    readonly start: string;
    readonly end: string;
    readonly seq: number;
  };
}

const REASONS = ['NO_MATERIAL', 'TOOL_CHANGE', 'JAM', 'MAINTENANCE', 'QUALITY_HOLD'];

/**
 * `count` stops spread round-robin over `machines` (equipment numbers, as the SAP side knows them) on one line.
 * Each machine's n-th stop starts n minutes after `base` and lasts 30 s to 4 min, so a machine never reports two
 * stops starting in the same second (the notification's natural key is machine + malfunction start).
 */
export function machineEvents(
  count: number,
  machines: readonly string[],
  base: number,
  line = 'line-1',
): MachineEvent[] {
  const seqs = new Map<string, number>();
  const events: MachineEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const machine = machines[i % machines.length] ?? 'unknown';
    const seq = (seqs.get(machine) ?? 0) + 1;
    seqs.set(machine, seq);
    const start = base + seq * 60_000;
    events.push({
      topic: `factory/${line}/${machine}/state`,
      machine,
      seq,
      payload: {
        state: 'down',
        reason: REASONS[i % REASONS.length] ?? 'JAM',
        start: new Date(start).toISOString(),
        end: new Date(start + 30_000 + (i % 8) * 30_000).toISOString(),
        seq,
      },
    });
  }
  return events;
}

/** The seq a created notification carries in its text ("10000003 JAM #42" → 42). */
export function seqOfText(text: unknown): number | undefined {
  const match = /#(\d+)$/.exec(String(text ?? ''));
  return match ? Number(match[1]) : undefined;
}
