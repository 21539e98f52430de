// Loads an unpacked n8n-nodes-takt the way n8n does: require() of every file its package.json "n8n" section
// lists, then the class named like the file. Run under the Node that n8n runs on (24), from a folder where only
// the package and n8n-workflow (n8n's copy, the peer dependency) are resolvable, so a bundle that still needs any
// other package fails here. Checks each node's codex file and every `file:` icon where n8n resolves it. Prints one
// JSON summary; exits non-zero on the first problem.
//
// Usage: node scripts/n8n-dist-load-check.mjs <unpacked package folder>
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';

const packageDir = resolve(process.argv[2] ?? '.');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
/** CommonJS loading from inside the package, as n8n's loader requires a node file. */
const loadCommonJs = createRequire(join(packageDir, 'package.json'));

function load(file) {
  const className = basename(file).split('.')[0];
  const exported = loadCommonJs(join(packageDir, file));
  if (typeof exported[className] !== 'function') throw new Error(`${file} does not export class ${className}`);
  return { className, instance: new exported[className]() };
}

/** Every `file:` icon (a string, or light and dark) must exist relative to the bundle, where n8n looks for it. */
function checkIcons(file, icon) {
  const paths = typeof icon === 'string' ? [icon] : icon ? [icon.light, icon.dark] : [];
  for (const path of paths.filter((path) => typeof path === 'string' && path.startsWith('file:'))) {
    const target = join(packageDir, dirname(file), path.slice('file:'.length));
    if (!existsSync(target)) throw new Error(`${file}: icon ${path} is not in the package`);
  }
}

const nodes = manifest.n8n.nodes.map((file) => {
  const { className, instance } = load(file);
  const expected = className.charAt(0).toLowerCase() + className.slice(1);
  if (instance.description.name !== expected) {
    throw new Error(`${file}: description.name is ${instance.description.name}, expected ${expected}`);
  }
  checkIcons(file, instance.description.icon);
  if (!existsSync(join(packageDir, file.replace(/\.js$/, '.json'))))
    throw new Error(`${file}: no codex file beside it`);
  return instance.description.name;
});
const credentials = manifest.n8n.credentials.map((file) => {
  const { instance } = load(file);
  checkIcons(file, instance.icon);
  return instance.name;
});

// The vendored runtime picks its SQLite binding at run time: under n8n's Node it must be the built-in one, since
// the package carries no better-sqlite3.
const runtime = loadCommonJs(join(packageDir, 'dist/vendor/takt-runtime.js'));
const sqlite = runtime.loadSqliteBinding === undefined ? 'not exported' : runtime.loadSqliteBinding().name;

console.log(JSON.stringify({ node: process.version, nodes, credentials, sqlite }));
