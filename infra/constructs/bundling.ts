/**
 * How every function is bundled, declared once: AppFunction hands these options to the CDK, which runs esbuild
 * with them at synth, and the functions benchmark (bench/sections/functions.ts) runs esbuild with the same
 * options through its API, so the bundle it measures is the one that is deployed.
 */
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { fromRoot } from '../paths';

/**
 * Package imports each bundle takes from elsewhere: the SDK's default credential chain becomes the environment
 * alone (shared/runtime/lambda-credentials.ts says why), and the X-Ray SDK's semver, needed only to trace AWS SDK
 * v2 clients, becomes a module that refuses to (shared/runtime/xray-sdk-v2-version.ts says why).
 */
const ALIASES = {
  '@aws-sdk/credential-provider-node': fromRoot('shared/runtime/lambda-credentials.ts'),
  semver: fromRoot('shared/runtime/xray-sdk-v2-version.ts'),
} as const;

/** The bundling options of every function, as the CDK's NodejsFunction takes them (`bundling`). */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  bundleAwsSDK: true,
  minify: true,
  sourceMap: true,
  // the map names files and lines only: the sources' text would triple its size, and Node reads the whole map
  // at import (--enable-source-maps), on every cold start
  sourcesContent: false,
  // some CommonJS dependencies call require(); give the ESM bundle one
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  esbuildArgs: {
    '--alias': Object.entries(ALIASES).map(([name, path]) => `${name}=${path}`),
  },
} as const satisfies BundlingOptions;

/**
 * NODE_OPTIONS of every function: stack traces in the logs point at the TypeScript sources, through the source
 * map that FUNCTION_BUNDLING writes next to the bundle.
 */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/** The file the CDK writes an ESM bundle to, in the function's asset. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * The esbuild build options the CDK derives from FUNCTION_BUNDLING (aws-lambda-nodejs `buildEsbuildArgs`):
 * platform node, one output file, and no externals, since the AWS SDK is bundled.
 */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    outfile: `${outdir}/${BUNDLE_FILE}`,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: { ...ALIASES },
  };
}
