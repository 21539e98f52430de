import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where Takt keeps cursors, the id map, dedup claims, dead letters and jobs. Without this credential a node
 * uses `takt-state.sqlite` in the n8n user folder. PostgreSQL is required in queue mode (EXECUTIONS_MODE=queue),
 * where every worker must see the same state; SQLite is refused there. Tested by `taktStateStoreTest`.
 */
export class TaktStateStore implements ICredentialType {
  name = 'taktStateStore';

  displayName = 'Takt State Store';

  icon = { light: 'file:../nodes/icons/takt.svg', dark: 'file:../nodes/icons/takt.dark.svg' } as const;

  properties: INodeProperties[] = [
    {
      displayName: 'Store Type',
      name: 'storeType',
      type: 'options',
      options: [
        { name: 'SQLite File', value: 'sqlite', description: 'One file on this n8n instance (not for queue mode)' },
        { name: 'PostgreSQL', value: 'postgres', description: 'Shared by every worker; required in queue mode' },
      ],
      default: 'sqlite',
    },
    {
      displayName: 'SQLite File',
      name: 'sqliteFile',
      type: 'string',
      default: '',
      placeholder: 'takt-state.sqlite',
      displayOptions: { show: { storeType: ['sqlite'] } },
      description:
        'Path of the state file; relative paths are inside the n8n user folder. Empty: takt-state.sqlite there.',
    },
    {
      displayName: 'Connection String',
      name: 'connectionString',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      placeholder: 'postgres://user:password@db.example.com:5432/n8n',
      displayOptions: { show: { storeType: ['postgres'] } },
    },
    {
      displayName: 'Schema',
      name: 'schema',
      type: 'string',
      default: 'takt',
      displayOptions: { show: { storeType: ['postgres'] } },
      description: 'Takt’s tables live in this schema (created if missing)',
    },
  ];
}
