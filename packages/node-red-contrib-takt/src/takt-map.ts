import {
  applyMapping,
  listMappingPresets,
  prepareMapping,
  simulate,
  TaktError,
  type MappingDirection,
  type MappingSource,
  type PresetOverrides,
  type PreparedMapping,
  type SimulatedItem,
} from '@takt/runtime';

import { translate } from './shared/i18n';
import { failMessage, toTaktError } from './shared/errors';
import { nodeStore, type NodeStore } from './shared/node-store';
import type { NodeDef, NodeMessage, NodeRedApi, NodeRedNode } from './shared/node-red';
import { statusError, statusOk, statusText, statusWorking } from './shared/status';
import { listOf, recordsOf, textOf } from './shared/message-values';

/**
 * `takt-map`: a preset (with JSON overrides) or a JSONata expression turns `msg.payload` (one record or an
 * array) into mapped records (apply), or shows per record what Upsert Sync would do with it (simulate). The
 * mapping is checked when the flow is deployed; a bad one turns the node red and fails every message with the
 * same error, before any record is read. Mapping, validation and prediction are the runtime's (node-ops/map.ts).
 */
/** The part of Node-RED's admin API the editor's preset list uses (express routes behind the editor's auth). */
interface AdminApi {
  readonly httpAdmin: {
    get(
      path: string,
      ...handlers: ((req: unknown, res: { json(body: unknown): void }, next: () => void) => void)[]
    ): void;
  };
  readonly auth: {
    needsPermission(permission: string): (req: unknown, res: unknown, next: () => void) => void;
  };
}

export = function registerTaktMap(RED: NodeRedApi): void {
  // The editor's Preset dropdown, from the runtime's preset registry (so it never lists a preset that is gone).
  const admin = RED as NodeRedApi & Partial<AdminApi>;
  if (admin.httpAdmin && admin.auth) {
    admin.httpAdmin.get('/takt-map/presets', admin.auth.needsPermission('takt-map.read'), (_req, res) => {
      res.json(listMappingPresets().map(({ id, title, directions }) => ({ id, title, directions })));
    });
  }

  function TaktMap(this: NodeRedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    start(this, def);
  }

  function start(node: NodeRedNode, def: NodeDef): void {
    const mode = def.mode === 'simulate' ? 'simulate' : 'apply';
    const direction: MappingDirection = def.direction === 'outbound' ? 'outbound' : 'inbound';

    let prepared: PreparedMapping | undefined;
    let setupError: TaktError | undefined;
    let storeNode: NodeStore | undefined;
    try {
      prepared = prepareMapping({ source: mappingSource(def, direction), direction });
      if (mode === 'simulate') storeNode = nodeStore(RED, node, def.store);
    } catch (error) {
      setupError = toTaktError(error);
      node.status(statusError(statusText(setupError.code)));
      node.error(setupError.message);
    }

    node.on('input', (msg, send, done) => {
      if (setupError || !prepared) {
        failMessage(node, done, setupError ?? new TaktError('INTERNAL', 'The mapping was not prepared.'));
        return;
      }
      const mapping = prepared;
      void (async () => {
        const { records, single } = recordsOf(msg.payload, 'msg.payload');
        node.status(
          statusWorking(translate(RED, 'takt-map.status.mapping', 'mapping __count__', { count: records.length })),
        );
        if (mode === 'simulate') {
          const simulated = await simulateRecords(mapping, records, def, storeNode);
          msg.payload = single ? simulated[0] : simulated;
          const changes = simulated.filter((s) => s.predictedAction === 'create' || s.predictedAction === 'update');
          node.status(
            statusOk(
              translate(RED, 'takt-map.status.simulated', '__count__ simulated, __changes__ would change', {
                count: records.length,
                changes: changes.length,
              }),
            ),
          );
        } else {
          const applied = await applyMapping(mapping, records);
          const failed = applied.find((result) => result.record === undefined);
          if (failed) {
            throw (
              failed.error ??
              new TaktError('RECORD_INVALID', `Record ${failed.index} of msg.payload does not map.`, {
                details: { index: failed.index },
              })
            );
          }
          const mapped = applied.map((result) => result.record);
          msg.payload = single ? mapped[0] : mapped;
          node.status(
            statusOk(translate(RED, 'takt-map.status.mapped', 'mapped __count__', { count: records.length })),
          );
        }
        // msg is reused, so its _takt (the delivery's ack token) travels on unchanged.
        send(msg as NodeMessage);
        done();
      })().catch((error: unknown) => failMessage(node, done, error));
    });
  }

  RED.nodes.registerType('takt-map', TaktMap);
};

async function simulateRecords(
  prepared: PreparedMapping,
  records: readonly unknown[],
  def: NodeDef,
  storeNode: NodeStore | undefined,
): Promise<Record<string, unknown>[]> {
  const keyFields = listOf(def.keyFields);
  const source = textOf(def.keySource);
  const store = storeNode ? await storeNode.store() : undefined;
  const connection = textOf(def.connectionName);
  if (store && connection === '') {
    throw new TaktError('CONFIG_INVALID', 'takt-map: set Connection Name (the one Upsert Sync uses) to simulate.');
  }
  const simulated = await simulate(prepared, records, {
    ...(store ? { store } : {}),
    connection,
    entity: textOf(def.targetEntity),
    ...(keyFields.length > 0 ? { keyFields } : {}),
    ...(source !== '' ? { source } : {}),
  });
  return simulated.map(simulationRow);
}

/** One simulated record as plain JSON: {mapped, issues, predictedAction, reason, …}. */
function simulationRow(item: SimulatedItem): Record<string, unknown> {
  return {
    mapped: item.mapped ?? null,
    issues: item.issues.map((issue) => ({ ...issue })),
    predictedAction: item.predictedAction,
    reason: item.reason,
    ...(item.changedFields ? { changedFields: [...item.changedFields] } : {}),
    ...(item.externalId !== undefined ? { externalId: item.externalId } : {}),
    ...(item.targetId !== undefined ? { targetId: item.targetId } : {}),
  };
}

/** The editor's fields as a mapping source; overrides are JSON (PresetOverrides), refused by name when not. */
function mappingSource(def: NodeDef, direction: MappingDirection): MappingSource {
  if (def.mappingSource === 'jsonata') {
    const entity = textOf(def.entity);
    return { kind: 'jsonata', expression: textOf(def.expression), ...(entity !== '' ? { entity } : {}) };
  }
  const preset = textOf(def.preset);
  if (preset === '') throw new TaktError('MAPPING_INVALID', 'takt-map: pick a Preset, or switch to JSONata.');
  const overrides = parseOverrides(def.overrides);
  const source = textOf(def.externalSource);
  return {
    kind: 'preset',
    preset,
    overrides: { ...overrides, ...(direction === 'inbound' && source !== '' ? { source } : {}) },
  };
}

function parseOverrides(value: unknown): PresetOverrides {
  const text = textOf(value);
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TaktError(
      'MAPPING_INVALID',
      `takt-map: Overrides is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TaktError(
      'MAPPING_INVALID',
      'takt-map: Overrides must be a JSON object such as {"timeZone": "Europe/Berlin", "fields": [...], "remove": [...]}.',
    );
  }
  return parsed as PresetOverrides;
}
