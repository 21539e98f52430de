import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { messages, node, useRedSuite, type NodeModule } from './testing/red';
import { sapConnection, useSimulator } from './testing/simulator';

/**
 * What ships is the esbuild output, not the TypeScript the other tests load: this builds the package into a
 * scratch folder inside the package (so `better-sqlite3` resolves as it does when installed) and runs a flow
 * on the built files.
 */

const packageDir = resolve(__dirname, '..');
const outDir = join(packageDir, 'build', `test-${process.pid}`);

interface PackageJson {
  readonly 'node-red': { readonly nodes: Readonly<Record<string, string>> };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

describe('the built package', () => {
  const ctx = useRedSuite();
  const sim = useSimulator({ seed: 3, size: 20, services: ['sap'] });

  beforeAll(() => {
    execFileSync(process.execPath, [join(packageDir, 'scripts', 'build.mjs'), '--out', outDir], { stdio: 'pipe' });
  }, 60_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  function built(type: string): NodeModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the CommonJS bundle under test
    return require(join(outDir, `${type}.js`)) as NodeModule;
  }

  it('lists every node type with its bundle, editor template and help', () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageJson;
    const sources = readdirSync(__dirname)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => file.replace(/\.ts$/, ''));
    expect(Object.keys(pkg['node-red'].nodes).sort()).toEqual([...sources].sort());
    for (const [type, file] of Object.entries(pkg['node-red'].nodes)) {
      expect(file).toBe(`nodes/${type}.js`);
      expect(typeof built(type)).toBe('function');
      expect(readFileSync(join(packageDir, 'nodes', `${type}.html`), 'utf8')).toContain(`registerType('${type}'`);
      expect(readFileSync(join(packageDir, 'nodes', 'locales', 'en-US', `${type}.html`), 'utf8')).toContain(
        `data-help-name="${type}"`,
      );
      const strings = JSON.parse(
        readFileSync(join(packageDir, 'nodes', 'locales', 'en-US', `${type}.json`), 'utf8'),
      ) as Record<string, unknown>;
      expect(Object.keys(strings)).toEqual([type]);
    }
    // Everything else is bundled; the SQLite binding stays optional so a gateway without build tools installs.
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.optionalDependencies ?? {})).toEqual(['better-sqlite3']);
  });

  it('inlines the runtime once, in vendor/takt-runtime.js', () => {
    const vendor = statSync(join(outDir, 'vendor', 'takt-runtime.js')).size;
    for (const file of readdirSync(outDir).filter((name) => name.endsWith('.js'))) {
      const text = readFileSync(join(outDir, file), 'utf8');
      expect(text).toContain('require("./vendor/takt-runtime.js")');
      expect(text).not.toMatch(/require\("@takt\/runtime"\)|require\("zod"\)|require\("undici"\)/);
      expect(statSync(join(outDir, file)).size).toBeLessThan(vendor / 20);
    }
  });

  it('runs a flow on the built files against the simulator', async () => {
    const connection = sapConnection(sim(), 'sap-conn');
    await ctx.load(
      [built('takt-sap-connection'), built('takt-sap')],
      [
        connection.node,
        {
          id: 'n1',
          type: 'takt-sap',
          connection: 'sap-conn',
          operation: 'getMany',
          entity: 'production-orders',
          limit: 4,
          wires: [['out']],
        },
        { id: 'out', type: 'helper' },
      ],
      { 'sap-conn': connection.credentials },
    );
    const received = messages('out');
    node<{ receive(msg: object): void }>('n1').receive({ payload: null, _takt: { token: 't' } });
    const [msg] = await received;
    expect(msg?.payload).toHaveLength(4);
    expect(msg?._takt).toEqual({ token: 't' });
  });
});
