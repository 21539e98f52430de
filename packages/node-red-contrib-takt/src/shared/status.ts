import type { NodeStatus } from './node-red';

/**
 * Status conventions of Node-RED's core nodes, one function per meaning so every Takt node shows the same
 * colours: blue dot working, green dot ok, yellow ring connecting or waiting, red ring error, grey ring idle.
 * Texts are short ("450 new", "retry in 3 s") and come from the node's locale file through `RED._`.
 */
export const statusWorking = (text: string): NodeStatus => ({ fill: 'blue', shape: 'dot', text });
export const statusOk = (text: string): NodeStatus => ({ fill: 'green', shape: 'dot', text });
export const statusConnecting = (text: string): NodeStatus => ({ fill: 'yellow', shape: 'ring', text });
export const statusWaiting = (text: string): NodeStatus => ({ fill: 'yellow', shape: 'dot', text });
export const statusError = (text: string): NodeStatus => ({ fill: 'red', shape: 'ring', text });
export const statusIdle = (text: string): NodeStatus => ({ fill: 'grey', shape: 'ring', text });
/** Removes the status under the node. */
export const statusClear = (): NodeStatus => ({});

/** Status texts are one line under a node: long messages are cut, the full text goes to the debug sidebar. */
export function statusText(text: string, max = 48): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** "retry in 3 s" / "retry in 2 min": a wait as people read it. */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
