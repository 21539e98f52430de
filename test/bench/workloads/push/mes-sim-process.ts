/**
 * The MES simulator for W5, in a child process started with an IPC channel (w5-push.ts forks it). The CLI
 * cannot set the MES rate limit, and its default (1000 requests a minute) would turn the one-record-per-request
 * comparator into a wait for the window: the limit is set far above anything W5 sends, so the figures measure
 * the push, not the limiter. The X-RateLimit-* headers are still sent on every answer.
 *
 * Answers W5's questions (what the MES holds per source, fault rules, the request log) over IPC and exits when
 * the parent disconnects.
 */
import { startSimulator } from '@takt/erp-simulator';

import { MES_API_KEY, type Holdings, type MesAnswer, type MesQuestion, type MesReady } from './mes-protocol';

/** Requests a W5 run can send: 100k records in 1000s, the per-record slice one by one, and retries. */
const REQUEST_LOG_SIZE = 50_000;

async function main(): Promise<void> {
  const sim = await startSimulator({
    port: 0,
    seed: 42,
    size: 0,
    services: ['mes'],
    mes: { size: 0, apiKey: MES_API_KEY, rateLimit: { limit: 1_000_000_000, windowSeconds: 60 } },
    requestLogSize: REQUEST_LOG_SIZE,
  });
  const mes = sim.mes;
  if (!mes) throw new Error('the MES service did not start');

  const holdings = (source: string): Holdings => {
    const held = mes.records('resources').filter((record) => record.external_source === source);
    const effects = { created: 0, updated: 0, unchanged: 0 };
    for (const effect of mes.effects()) {
      if (effect.entity === 'resources' && effect.external_source === source) effects[effect.action] += 1;
    }
    return { records: held.length, distinctKeys: new Set(held.map((r) => r.external_id)).size, ...effects };
  };

  const answer = (question: MesQuestion): MesAnswer => {
    switch (question.type) {
      case 'holdings':
        return { id: question.id, type: 'holdings', holdings: holdings(question.source) };
      case 'faults': {
        if (question.config) sim.faults.set(question.config);
        const rules = sim.faults.snapshot().rules.map((rule) => ({ id: rule.id ?? '', hits: rule.hits }));
        return { id: question.id, type: 'faults', hits: { rules } };
      }
      case 'requests': {
        const entries = sim.requests.list({ path: new RegExp(question.path) });
        const dropped = sim.requests.droppedCount;
        sim.requests.clear();
        return { id: question.id, type: 'requests', entries, dropped };
      }
      case 'memory':
        return { id: question.id, type: 'memory', rssMiB: process.memoryUsage().rss / 2 ** 20 };
    }
  };

  process.on('message', (message: MesQuestion) => {
    let reply: MesAnswer;
    try {
      reply = answer(message);
    } catch (error) {
      reply = { id: message.id, type: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    process.send?.(reply);
  });
  process.once('disconnect', () => {
    void sim.close().finally(() => process.exit(0));
  });
  const ready: MesReady = { type: 'ready', baseUrl: `${sim.url}${mes.basePath}` };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(`MES simulator failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
