// Bundles the Node-RED package so it installs from one tarball (DESIGN.md, "Self-contained installs").
//
//   src/<type>.ts          → nodes/<type>.js            one CommonJS file per node type, next to its .html
//   @takt/runtime + deps   → nodes/vendor/takt-runtime.js  inlined ONCE (jsonata, zod, undici, pg)
//
// Every node bundle requires the runtime by relative path ('./vendor/takt-runtime.js'), so all node types of a
// Node-RED process share one copy: one resource pool, one rate limiter per connection. better-sqlite3 stays a
// real dependency (a native module cannot be bundled); Node 20 gateways have no node:sqlite.
//
// Usage: node scripts/build.mjs [--out <dir>]   (default: the package's nodes/ folder)
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(packageDir, 'src');
const outFlag = process.argv.indexOf('--out');
const outDir =
  outFlag >= 0 && process.argv[outFlag + 1] ? resolve(process.argv[outFlag + 1]) : join(packageDir, 'nodes');
const runtimeEntry = join(packageDir, '..', '..', 'runtime', 'src', 'index.ts');
const vendorFile = 'vendor/takt-runtime.js';

/** Modules that must be resolved at run time, not inlined: native bindings and pg's optional native client. */
const external = ['better-sqlite3', 'pg-native', 'pg-cloudflare', 'cloudflare:sockets'];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external,
  legalComments: 'inline',
  logLevel: 'warning',
  sourcemap: false,
};

/** Marks @takt/runtime external and points it at the one vendored copy beside the node bundles. */
const vendoredRuntime = {
  name: 'takt-vendored-runtime',
  setup(b) {
    b.onResolve({ filter: /^@takt\/runtime$/ }, () => ({ path: `./${vendorFile}`, external: true }));
  },
};

const entries = readdirSync(srcDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
  .map((file) => join(srcDir, file));

rmSync(join(outDir, 'vendor'), { recursive: true, force: true });

await build({ ...common, entryPoints: [runtimeEntry], outfile: join(outDir, vendorFile) });
await build({ ...common, entryPoints: entries, outdir: outDir, plugins: [vendoredRuntime] });

console.log(`node-red-contrib-takt: ${entries.length} node bundles and ${vendorFile} in ${outDir}`);
