// Bundles the n8n package (n8n-nodes-takt) so it installs from one tarball with no runtime dependencies: n8n's
// community-node rules forbid `dependencies`, and n8n installs community packages without their dev tree.
//
//   nodes/<Name>/<Name>.node.ts         → dist/nodes/<Name>/<Name>.node.js        one CommonJS bundle per node
//   credentials/<Name>.credentials.ts   → dist/credentials/<Name>.credentials.js
//   @takt/runtime + jsonata, zod, undici, pg → dist/vendor/takt-runtime.js   inlined ONCE
//   nodes/**/*.svg|png|node.json        → copied beside the bundles (icons and codex files)
//
// Each bundle requires the runtime by a path relative to itself, so every Takt node of an n8n process shares one
// copy: one resource pool, one rate limiter per connection. n8n-workflow stays external (n8n provides it: the
// package's peer dependency). better-sqlite3 stays external and unlisted: n8n 2.x runs on Node 24, where the
// runtime uses the built-in node:sqlite. A bundle that would inline any other package fails the build, so nothing
// is inlined twice. `tsc -b` (the type check) runs before this script (see the `build` script).
//
// Usage: node scripts/build-n8n.mjs
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const vendorFile = join(outDir, 'vendor', 'takt-runtime.js');
const runtimeEntry = join(root, 'runtime', 'src', 'index.ts');

/** Resolved at run time, never inlined: native bindings, pg's optional native and edge clients. */
const runtimeExternal = ['better-sqlite3', 'pg-native', 'pg-cloudflare', 'cloudflare:sockets'];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'inline',
  logLevel: 'warning',
  sourcemap: false,
  metafile: true,
};

/** Files under `dir` (recursively) whose name passes `keep`, skipping tests and fixtures. */
function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !/[/\\](test|__tests__|__fixtures__)[/\\]/.test(relative(root, file)))
    .sort();
}

const posix = (path) => path.split(sep).join('/');
const outFileOf = (entry) => join(outDir, relative(root, entry)).replace(/\.ts$/, '.js');

const entries = [
  ...filesUnder(join(root, 'nodes'), (name) => name.endsWith('.node.ts')),
  ...filesUnder(join(root, 'credentials'), (name) => name.endsWith('.credentials.ts')),
];

/** package.json's `n8n` section must list exactly the bundles built, or n8n would miss a node or fail to load one. */
function checkManifest() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const built = entries.map((entry) => posix(relative(root, outFileOf(entry))));
  const listed = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
  const unlisted = built.filter((file) => !listed.includes(file));
  const missing = listed.filter((file) => !built.includes(file));
  const problems = [
    ...unlisted.map((file) => `built but not listed in package.json "n8n": ${file}`),
    ...missing.map((file) => `listed in package.json "n8n" but no source builds it: ${file}`),
  ];
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/**
 * Marks @takt/runtime external and rewrites it to the vendored copy, relative to the one output file being built
 * (each entry is its own build, so the relative path is known). A deep import (@takt/runtime/…) would load a
 * second copy of part of the runtime and is refused.
 */
function vendoredRuntime(outFile) {
  const target = posix(relative(dirname(outFile), vendorFile));
  return {
    name: 'takt-vendored-runtime',
    setup(b) {
      b.onResolve({ filter: /^@takt\/runtime(\/.*)?$/ }, (args) => {
        if (args.path !== '@takt/runtime') {
          return {
            errors: [{ text: `import "@takt/runtime" itself, not "${args.path}": the runtime is vendored once` }],
          };
        }
        return { path: target.startsWith('.') ? target : `./${target}`, external: true };
      });
    },
  };
}

/** Packages a node bundle inlined: must be none (the runtime and its dependencies live in the vendored file). */
function inlinedPackages(metafile) {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (match) packages.add(match[1]);
  }
  return [...packages];
}

function copyAssets() {
  const assets = [
    ...filesUnder(join(root, 'nodes'), (name) => /\.(svg|png)$/.test(name) || name.endsWith('.node.json')),
    ...filesUnder(join(root, 'credentials'), (name) => /\.(svg|png)$/.test(name)),
  ];
  for (const asset of assets) {
    const target = join(outDir, relative(root, asset));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(asset, target);
  }
  return assets.length;
}

checkManifest();
rmSync(outDir, { recursive: true, force: true });

await build({ ...common, entryPoints: [runtimeEntry], outfile: vendorFile, external: runtimeExternal });

const results = await Promise.all(
  entries.map(async (entry) => {
    const outFile = outFileOf(entry);
    const result = await build({
      ...common,
      entryPoints: [entry],
      outfile: outFile,
      external: ['n8n-workflow'],
      plugins: [vendoredRuntime(outFile)],
    });
    return { entry, inlined: inlinedPackages(result.metafile) };
  }),
);
const doubled = results.filter((result) => result.inlined.length > 0);
if (doubled.length > 0) {
  const lines = doubled.map((result) => `${posix(relative(root, result.entry))}: ${result.inlined.join(', ')}`);
  throw new Error(
    `node bundles would inline packages the vendored runtime should provide (import them from @takt/runtime):\n` +
      lines.join('\n'),
  );
}
const assets = copyAssets();

console.log(
  `n8n-nodes-takt: ${entries.length} bundles, ${assets} icons and codex files, and dist/vendor/takt-runtime.js`,
);
