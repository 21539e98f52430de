import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { packTakt, run } from '../harness/install-packed';
import { validatePackage } from '../harness/validate-package';

describe('node-red-dev validate (the flow library scorecard)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'takt-node-red-validate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes every check on the package as packed', async () => {
    const tarball = await packTakt(dir);
    const unpacked = await run('tar', ['-xzf', tarball, '-C', dir], dir);
    assert.equal(unpacked.code, 0, unpacked.stderr);
    const report = await validatePackage(join(dir, 'package'), dir);
    console.log(report.output.trim());
    const failed = Object.entries(report.scorecard).filter(([, entry]) => entry.test === false);
    assert.deepEqual(failed, []);
    // The checks node-red-dev 0.1.6 runs: package (P01–P08), nodes (N01–N04, examples per node), dependencies.
    for (const check of ['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'N02', 'N03', 'D01', 'D02']) {
      assert.equal(
        report.scorecard[check]?.test,
        true,
        `scorecard ${check}: ${JSON.stringify(report.scorecard[check])}`,
      );
    }
  });
});
