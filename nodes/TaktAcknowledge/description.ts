import type { INodeProperties } from 'n8n-workflow';

const settling = { operation: ['ack', 'nack'] };
const deadLetters = { operation: ['listDeadLetters', 'replay'] };

/** Takt Acknowledge's parameters: settle by token (ACK / NACK), or work on an endpoint's dead letters. */
export const acknowledgeProperties: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    options: [
      {
        name: 'Acknowledge',
        value: 'ack',
        description: 'Commit what the items came from: a trigger delivery, a webhook event or a replayed dead letter',
        action: 'Acknowledge items',
      },
      {
        name: 'List Dead Letters',
        value: 'listDeadLetters',
        description: 'Events that failed for good, waiting for a replay',
        action: 'List dead letters',
      },
      {
        name: 'Negative Acknowledge',
        value: 'nack',
        description:
          'Give up on what the items came from: a delivery is handed out again after it expires, an event goes to the dead letters (or back to its sender), a replay stays open',
        action: 'Negatively acknowledge items',
      },
      {
        name: 'Replay',
        value: 'replay',
        description: 'Emit open dead letters as items again; acknowledge them at the end of the workflow',
        action: 'Replay dead letters',
      },
    ],
    default: 'ack',
  },
  {
    displayName: 'Token',
    name: 'token',
    type: 'string',
    default: '={{ $json._takt.token }}',
    required: true,
    displayOptions: { show: settling },
    description:
      'The acknowledgement token the Takt trigger, webhook or replay put in _takt.token. Items with the same token are settled once.',
  },
  {
    displayName: 'Message',
    name: 'message',
    type: 'string',
    default: '',
    placeholder: 'MES rejected the confirmation',
    displayOptions: { show: { operation: ['nack'] } },
    description: 'Why the workflow gave up; a dead-lettered event keeps it as its error',
  },
  {
    displayName: 'Let the Sender Retry',
    name: 'retryable',
    type: 'boolean',
    default: false,
    displayOptions: { show: { operation: ['nack'] } },
    description:
      'Whether a webhook event with attempts left is released for its sender to send again instead of going to the dead letters. The node then fails the execution, so that a Takt Webhook Trigger that responds when acknowledged answers the sender with an error (leave Continue On Fail off). A trigger that responded immediately has no retry coming: the event goes to the dead letters.',
  },
  {
    displayName: 'Dead Letter Payload',
    name: 'payload',
    type: 'json',
    default: '',
    placeholder: "={{ $('Takt Webhook Trigger').item.json }}",
    displayOptions: { show: { operation: ['nack'] } },
    description:
      "What a dead-lettered event keeps for its replay. Empty: this item's fields. Point it at the trigger's item to replay the event as it arrived.",
  },
  {
    displayName: 'Endpoint Name',
    name: 'scope',
    type: 'string',
    default: 'takt-events',
    required: true,
    displayOptions: { show: deadLetters },
    description: 'The Endpoint Name of the Takt Webhook Trigger whose dead letters to list or replay',
  },
  {
    displayName: 'Status',
    name: 'status',
    type: 'options',
    options: [
      { name: 'All', value: 'all' },
      { name: 'Open', value: 'open' },
      { name: 'Resolved', value: 'resolved' },
    ],
    default: 'open',
    displayOptions: { show: { operation: ['listDeadLetters'] } },
  },
  {
    displayName: 'Dead Letter IDs',
    name: 'ids',
    type: 'string',
    default: '',
    placeholder: '12, 15',
    displayOptions: { show: { operation: ['replay'] } },
    description: 'Only these dead letters (comma-separated IDs); every open one when empty',
  },
  {
    displayName: 'Limit',
    name: 'limit',
    type: 'number',
    typeOptions: { minValue: 1, maxValue: 1000 },
    default: 50,
    displayOptions: { show: deadLetters },
    description: 'Max number of results to return',
  },
];
