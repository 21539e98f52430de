import type { INodeProperties } from 'n8n-workflow';

const standard = { verification: ['standard'] };
const shared = { verification: ['sharedToken', 'sharedHmac'] };

/** The webhook trigger's parameters: where it listens, how a request proves its sender, what the event id is. */
export const webhookTriggerProperties: INodeProperties[] = [
  {
    displayName: 'Path',
    name: 'path',
    type: 'string',
    default: 'takt-events',
    required: true,
    placeholder: 'mes-confirmations',
    description: 'The last part of the webhook URL the sender posts to',
  },
  {
    displayName: 'Endpoint Name',
    name: 'scope',
    type: 'string',
    default: 'takt-events',
    required: true,
    description:
      'Event IDs are unique per endpoint name: a repeated ID is answered as a duplicate. Takt Acknowledge lists and replays the dead letters of an endpoint by this name.',
  },
  {
    displayName: 'Respond',
    name: 'responseMode',
    type: 'options',
    noDataExpression: true,
    options: [
      {
        name: 'When Acknowledged',
        value: 'lastNode',
        description:
          'Answers the sender when the workflow has finished: 200 once it ran through, 500 when it failed (an error, or a Takt Acknowledge NACK with Let the Sender Retry), so the sender sends the event again. After an error its copies are answered 409 until the claim time ends.',
      },
      {
        name: 'Immediately',
        value: 'onReceived',
        description:
          'Answers 200 accepted before the workflow runs. If the workflow then fails, the sender never sends the event again: it is lost unless a NACK puts it in the dead letters (with Let the Sender Retry too, as no copy will come).',
      },
    ],
    default: 'lastNode',
    description:
      "When the sender gets its answer. Duplicates (200), copies of an event still in progress (409), bad signatures (401) and oversized bodies (413) are answered at once either way. With When Acknowledged the sender waits for the whole workflow: keep it shorter than the sender's timeout.",
  },
  {
    displayName: 'Verification',
    name: 'verification',
    type: 'options',
    noDataExpression: true,
    options: [
      {
        name: 'Standard Webhooks Signature',
        value: 'standard',
        description: 'Webhook-ID, webhook-timestamp and webhook-signature headers, signed with a whsec_ secret',
      },
      {
        name: 'Shared Secret in a Header',
        value: 'sharedToken',
        description: 'A header carries the secret itself',
      },
      {
        name: 'HMAC-SHA256 of the Body in a Header',
        value: 'sharedHmac',
        description: 'A header carries an HMAC-SHA256 of the raw body made with the secret',
      },
    ],
    default: 'standard',
  },
  {
    displayName: 'Signing Secret',
    name: 'secret',
    type: 'string',
    typeOptions: { password: true },
    default: '',
    required: true,
    placeholder: 'whsec_…',
    displayOptions: { show: standard },
    description: 'The whsec_ secret the sender signs with',
  },
  {
    displayName: 'Secret',
    name: 'sharedSecret',
    type: 'string',
    typeOptions: { password: true },
    default: '',
    required: true,
    displayOptions: { show: shared },
  },
  {
    displayName: 'Header Name',
    name: 'header',
    type: 'string',
    default: 'X-Webhook-Signature',
    required: true,
    displayOptions: { show: shared },
    description: 'The header that carries the secret or the signature',
  },
  {
    displayName: 'Signature Prefix',
    name: 'prefix',
    type: 'string',
    default: 'sha256=',
    displayOptions: { show: { verification: ['sharedHmac'] } },
    description: 'Text before the digest in the header, if the sender writes one',
  },
  {
    displayName: 'Signature Encoding',
    name: 'encoding',
    type: 'options',
    options: [
      { name: 'Hex', value: 'hex' },
      { name: 'Base64', value: 'base64' },
    ],
    default: 'hex',
    displayOptions: { show: { verification: ['sharedHmac'] } },
  },
  {
    displayName: 'Event ID From',
    name: 'eventIdFrom',
    type: 'options',
    options: [
      { name: 'Header', value: 'header' },
      { name: 'Body Field', value: 'body' },
      { name: 'Hash of the Body', value: 'body-hash', description: 'Identical retries count as one event' },
    ],
    default: 'header',
    displayOptions: { show: shared },
    description: 'Where the sender puts the ID that stays the same on every retry of one event',
  },
  {
    displayName: 'Event ID Header',
    name: 'eventIdHeader',
    type: 'string',
    default: 'X-Event-Id',
    displayOptions: { show: { ...shared, eventIdFrom: ['header'] } },
    description: 'Without it in a request, the hash of the body is the event ID',
  },
  {
    displayName: 'Event ID Field',
    name: 'eventIdPath',
    type: 'string',
    default: 'id',
    placeholder: 'event.id',
    displayOptions: { show: { ...shared, eventIdFrom: ['body'] } },
    description: 'Dot path of the ID in the JSON body; without it in a request, the hash of the body is the event ID',
  },
  {
    displayName:
      'Acknowledge each event with a Takt Acknowledge node at the end of the workflow: until then a copy of it is answered 409, and an event never acknowledged is taken again when its claim time ends. Leave Continue On Fail off there, or a failed event is answered 200.',
    name: 'ackNotice',
    type: 'notice',
    default: '',
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Claim Time (Minutes)',
        name: 'claimMinutes',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 5,
        description: 'How long the workflow has to acknowledge an event; make it longer than a workflow run',
      },
      {
        displayName: 'Duplicate Window (Hours)',
        name: 'retentionHours',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 72,
        description: "How long a settled event ID is answered as a duplicate; cover the sender's whole retry schedule",
      },
      {
        displayName: 'Max Attempts',
        name: 'maxAttempts',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 5,
        description: 'Deliveries of one event before a retryable NACK sends it to the dead letters',
      },
      {
        displayName: 'Max Body Size (KiB)',
        name: 'maxKib',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 1024,
        description: 'Larger requests are refused with 413 before they are verified or parsed',
      },
    ],
  },
];
