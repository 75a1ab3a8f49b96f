/**
 * Files of npm packages that the api function reads from disk at run time rather than importing.
 *
 * The function resolves them with Node's own resolution (`require.resolve('redoc/…')`), which finds them in the
 * repository's node_modules under tsx and vitest; the CDK bundling (infra/constructs/app-function.ts) copies them
 * into the Lambda asset under the same `node_modules/` paths, so the same resolution finds them in Lambda.
 * Reading them lazily keeps them out of index.mjs: a megabyte of script would otherwise be parsed on every cold
 * start, whichever route the start serves.
 */

/** Redoc 2's self-contained browser bundle, served at `GET /docs/redoc.standalone.js`. */
export const REDOC_BUNDLE = 'redoc/bundles/redoc.standalone.js';

/** Every package file the api function needs at run time, with the license texts that must travel with them. */
export const API_PACKAGE_FILES: readonly string[] = [
  REDOC_BUNDLE,
  'redoc/bundles/redoc.standalone.js.LICENSE.txt',
  'redoc/LICENSE',
];
