/**
 * The wiring of a running platform, in a form both stacks can be read back into: the local stack describes what
 * it actually created and started (infra/local/wiring.ts), the infra tests read the same out of a synthesized
 * template, and the two must be equal. Queues are known by their consumer, the one name both sides share.
 */
import type { FunctionName } from './topology';

export interface Wiring {
  readonly table: {
    readonly partitionKey: string;
    readonly sortKey: string;
    /** `name(partitionKey,sortKey)`, sorted. */
    readonly indexes: readonly string[];
    readonly streamViewType: string;
    readonly timeToLiveAttribute: string;
  };
  readonly functions: Readonly<Partial<Record<FunctionName, { timeoutSeconds: number; memoryMb: number }>>>;
  /**
   * `METHOD /path -> function [guard]`, sorted; the guard is `key` (authorizer and usage plan) or `none`. Whether
   * a key must be a state or a district one is the api function's check, which no template shows.
   */
  readonly routes: readonly string[];
  /** The key authorizer of keyed routes. */
  readonly authorizer: {
    readonly function: FunctionName;
    readonly resultsCacheTtlSeconds: number;
    readonly identityValidationExpression: string;
  };
  /** The per-key throttle (the usage plan's). */
  readonly rateLimit: { readonly ratePerSecond: number; readonly burst: number };
  /** Queue event sources, by consumer function. */
  readonly eventSources: Readonly<
    Partial<
      Record<
        FunctionName,
        {
          batchSize: number;
          maxBatchingWindowSeconds: number;
          maxConcurrency: number;
          reportBatchItemFailures: boolean;
          visibilityTimeoutSeconds: number;
          maxReceiveCount: number;
        }
      >
    >
  >;
  readonly streamRelay: {
    /** The consumer of the queue the relay delivers to. */
    readonly deliversTo: FunctionName;
    /** Sorted. */
    readonly itemTypes: readonly string[];
    readonly batchSize: number;
    readonly maximumRetryAttempts: number;
  };
  /** `target expression timezone`, sorted. */
  readonly schedules: readonly string[];
}

export const routeKey = (method: string, path: string, fn: string, guard: string) =>
  `${method} ${path} -> ${fn} [${guard}]`;
export const indexKey = (name: string, partitionKey: string, sortKey: string) =>
  `${name}(${partitionKey},${sortKey})`;
export const scheduleKey = (target: string, expression: string, timezone: string) =>
  `${target} ${expression} ${timezone}`;
