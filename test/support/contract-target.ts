/**
 * The API a contract test file speaks to. The contract files (test/conformance/contract-files.ts) only speak HTTP,
 * so the same files prove the local stack in `npm test` and a deployed state in the conformance kit
 * (`npm run conformance`, test/conformance/run.ts):
 *
 * - with the conformance environment set (test/conformance/environment.ts), the URL and state key it names;
 *   nothing is started or stopped, every district id starts with the run's prefix `cf-<runId>-`, addresses are
 *   the SES mailbox simulator's, and whatever the API creates is recorded for the kit's cleanup;
 * - otherwise a local stack of the file's own (test/support/local-stack.ts), started in beforeAll.
 *
 * Either way a request answered 429 is sent again after its `Retry-After` (throttle-retry.ts).
 */
import { randomUUID } from 'node:crypto';
import type { LocalStackOptions } from '../../infra/local/local-stack';
import { topology } from '../../infra/topology';
import { type ConformanceSettings, readConformanceSettings, runPrefix } from '../conformance/environment';
import { recordingCreations } from '../conformance/ledger';
import { retryingThrottled } from '../conformance/throttle-retry';
import { testStack } from './local-stack';

export interface ContractTarget {
  /** The API's base URL, no trailing slash (after start()). */
  readonly apiUrl: string;
  /** A state key of the API (after start()). */
  readonly stateKey: string;
  /** The state's minimum n (after start()). */
  readonly minimumN: number;
  /**
   * How long a key may still be let in after it was revoked: the authorizer's answers are cached per key (60
   * seconds in a deployed state), plus a margin for the revocation to reach the usage plan.
   */
  readonly revocationWindowMs: number;
  /**
   * How far the API's clock may be from this process's: none for a stack in this process; a deployed API's
   * timestamps (`asOf`) come from other machines, kept close by NTP but not to the millisecond.
   */
  readonly clockToleranceMs: number;
  /** A district id for this run: `label` behind the run's prefix (none locally). */
  districtId(label: string): string;
  /**
   * An e-mail address no other test uses, `label` in its local part. In a conformance run it is the SES mailbox
   * simulator's (`success+…@simulator.amazonses.com`): a digest a deployed state sends it reaches nobody and
   * counts against no reputation.
   */
  address(label: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local stack of the contract files: as a state deploys it, but for two settings that only change the pace.
 * The authorizer caches for a second, not a minute, so that a test waiting out a revoked key's cached answer
 * waits a second; the per-key limit is far above the usage plan's, as the files post hundreds of requests on one
 * key and the 429s the plan would answer only slow them down (they are sent again).
 */
export const CONTRACT_STACK_OPTIONS = {
  authorizerCacheTtlSeconds: 1,
  rateLimit: { ratePerSecond: 100_000, burst: 100_000 },
} as const satisfies LocalStackOptions;

/** Margin on top of the authorizer's cache before a revoked key must be refused. */
const REVOCATION_MARGIN_MS = 30_000;

/** The target of the calling file: the conformance environment's API if set, else a local stack. */
export function contractTarget(env: NodeJS.ProcessEnv = process.env): ContractTarget {
  const settings = readConformanceSettings(env);
  return settings ? conformanceTarget(settings) : localStackTarget();
}

const unique = () => randomUUID().slice(0, 8);

/**
 * Wraps the global fetch, which the file's clients call (each wrapper acts on requests to the target's API only);
 * the returned function puts it back.
 */
function wrapFetch(wrap: (inner: typeof fetch) => typeof fetch): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = wrap(original);
  return () => {
    globalThis.fetch = original;
  };
}

function conformanceTarget(settings: ConformanceSettings): ContractTarget {
  const prefix = runPrefix(settings.runId);
  let unwrap: (() => void) | undefined;
  return {
    apiUrl: settings.apiUrl,
    stateKey: settings.stateKey,
    minimumN: settings.minimumN,
    revocationWindowMs: topology.authorizer.resultsCacheTtlSeconds * 1_000 + REVOCATION_MARGIN_MS,
    clockToleranceMs: 2_000,
    districtId: (label) => `${prefix}${label}`,
    address: (label) => `success+${label}.${unique()}@simulator.amazonses.com`,
    async start() {
      const { ledgerFile } = settings;
      unwrap = wrapFetch((inner) => {
        const patient = retryingThrottled(inner, settings.apiUrl);
        return ledgerFile ? recordingCreations(patient, settings.apiUrl, ledgerFile) : patient;
      });
    },
    async stop() {
      unwrap?.();
    },
  };
}

function localStackTarget(): ContractTarget {
  const local = testStack(CONTRACT_STACK_OPTIONS);
  let unwrap: (() => void) | undefined;
  return {
    get apiUrl() {
      return local.info.apiUrl;
    },
    get stateKey() {
      return local.info.credentials.stateKey;
    },
    get minimumN() {
      return local.info.state.minimumN;
    },
    revocationWindowMs: CONTRACT_STACK_OPTIONS.authorizerCacheTtlSeconds * 1_000 + REVOCATION_MARGIN_MS,
    clockToleranceMs: 0,
    districtId: (label) => label,
    address: (label) => `${label}.${unique()}@lincoln.example.org`,
    async start() {
      const info = await local.start();
      unwrap = wrapFetch((inner) => retryingThrottled(inner, info.apiUrl));
    },
    async stop() {
      unwrap?.();
      await local.stop();
    },
  };
}
