import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../infra/app';
import { BUNDLE_FILE, esbuildOptions } from '../../infra/constructs/bundling';
import { fromRoot } from '../../infra/paths';
import { topology } from '../../infra/topology';

describe('function bundles', () => {
  it('are single ESM files with the AWS SDK inside', { timeout: 180_000 }, () => {
    const outdir = mkdtempSync(join(tmpdir(), 'vp-bundle-'));
    onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
    const app = buildApp(new App({ outdir, context: { state: 'XX' } }));
    app.synth();
    const assets = readdirSync(outdir).filter(
      (name) => name.startsWith('asset.') && statSync(join(outdir, name)).isDirectory(),
    );
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const files = readdirSync(join(outdir, asset));
      expect(files).toContain('index.mjs');
      const code = readFileSync(join(outdir, asset, 'index.mjs'), 'utf8');
      // nothing left to resolve at run time but Node's own modules
      // statements only, not text that looks like one: a minified string table may hold `"from","x"` (the API
      // Gateway client's does) and an SDK error message quotes `import "@aws-sdk/signature-v4-crt"`
      const statements = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{},\s]*\bfrom\s*)?["']([^"']+)["']/gm;
      const imports = [...code.matchAll(statements)].map((m) => m[1]);
      expect(imports.filter((name) => !name?.startsWith('node:'))).toEqual([]);
      // the one SDK package left out is the optional CRT signer (SigV4a), which the SDK loads only on demand
      const requires = new Set([...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]));
      expect([...requires].filter((name) => name !== '@aws-sdk/signature-v4-crt')).toEqual([]);
    }
    // the benchmark bundles through esbuild's API with the options AppFunction gives the CDK: the same bytes
    const benchDir = join(outdir, 'bench');
    const { metafile } = buildSync({
      ...esbuildOptions(fromRoot(topology.functions.authorizer.entry), benchDir),
      metafile: true,
    });
    // the credential chain is the environment alone: none of the other sources, nor the clients they use
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('shared/runtime/lambda-credentials.ts');
    expect(inputs.filter((input) => /credential-provider-(?!env)|nested-clients/.test(input))).toEqual([]);
    const assetCode = assets.map((asset) => readFileSync(join(outdir, asset, BUNDLE_FILE), 'utf8'));
    expect(assetCode).toContain(readFileSync(join(benchDir, BUNDLE_FILE), 'utf8'));
  });
});
