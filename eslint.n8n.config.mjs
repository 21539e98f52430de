// n8n's community-node rules (@n8n/eslint-plugin-community-nodes) over the n8n package: nodes/, credentials/ and
// package.json. Run through `npm run lint:n8n`, which installs the toolchain n8n's node CLI pins for n8n 2.41 into
// the cache and points TAKT_N8N_LINT_DIR at it (why not a devDependency: scripts/lint-n8n.mjs).
//
// Config: `recommendedWithoutN8nCloudSupport`, i.e. every rule but n8n Cloud's import and global allowlists (Takt
// targets self-hosted n8n). Rules deliberately not followed are listed in nodes/README.md, "n8n community-node rules
// not followed", each with its reason; keep that list and the overrides below in step.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const toolchain = process.env.TAKT_N8N_LINT_DIR;
if (!toolchain) throw new Error('TAKT_N8N_LINT_DIR is unset: run this config through `npm run lint:n8n`');
const resolveInToolchain = createRequire(join(toolchain, 'package.json')).resolve;
const load = async (name) => import(pathToFileURL(resolveInToolchain(name)).href);

const { n8nCommunityNodesPlugin } = await load('@n8n/eslint-plugin-community-nodes');
const tseslint = (await load('typescript-eslint')).default;

const rule = (name) => `@n8n/community-nodes/${name}`;
const linted = ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'];

export default [
  { ignores: ['**/*.test.ts', '**/test/**', '**/__tests__/**', '**/__fixtures__/**'] },
  { files: linted, languageOptions: { parser: tseslint.parser } },
  { ...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport, files: linted },
  {
    // The root package.json is also the development workspace; its one override (a stand-in for n8n-workflow's
    // optional isolated-vm) acts only where this repository is the install root. No public home or maintainer
    // address exists yet: the package is private until its first publish, which must add both.
    files: ['package.json'],
    rules: { [rule('no-overrides-field')]: 'off', [rule('valid-author')]: 'off', [rule('require-homepage')]: 'off' },
  },
  {
    // A PostgreSQL connection string carries the password (postgres://user:password@host/db).
    files: ['credentials/TaktStateStore.credentials.ts'],
    rules: { [rule('credential-unnecessary-password')]: 'off' },
  },
  {
    // Senders (the MES, a gateway) are configured with the webhook URL on their side; there is no third-party API
    // to register, look up or delete a subscription with, so checkExists / create / delete would have nothing to do.
    files: ['nodes/TaktWebhookTrigger/TaktWebhookTrigger.node.ts'],
    rules: { [rule('webhook-lifecycle-complete')]: 'off' },
  },
];
