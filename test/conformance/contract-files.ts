/**
 * The contract files: the end-to-end tests that only speak HTTP to the API (test/support/contract-target.ts), so
 * that the conformance kit can run them unchanged against a deployed state. What they cannot prove over HTTP (the
 * table after a corpus of bad requests, aggregates rebuilt from the raw items, the digest jobs on the queue) is
 * in their `*-internals.test.ts` companions, which run on a local stack only.
 */

/** The contract files by short name, as `--only` takes them. */
export const CONTRACT_FILES = ['ingest', 'bad-input', 'auth-matrix', 'progress', 'subscribers'] as const;
export type ContractFile = (typeof CONTRACT_FILES)[number];

/** A contract file's path from the repository root. */
export const contractFilePath = (name: ContractFile) => `test/e2e/${name}.test.ts`;
