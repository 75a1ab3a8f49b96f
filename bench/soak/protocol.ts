/**
 * What the soak's parent (bench/soak/run.ts) and its stack process (bench/soak/stack-process.ts) say to each
 * other over the IPC channel.
 */
import type { EmulatorName } from '../../infra/local/local-stack';
import type { QueueName } from '../../infra/topology';

/** Parent to stack. */
export type StackCommand =
  | { readonly type: 'crash-workers'; readonly ms: number; readonly share: number }
  | { readonly type: 'throttle-ses'; readonly ms: number; readonly share: number }
  | { readonly type: 'restart'; readonly emulator: EmulatorName; readonly downtimeMs: number }
  | { readonly type: 'sample' }
  | { readonly type: 'counts' }
  | { readonly type: 'stop' };

/** The stack process's memory at one moment, in bytes. */
export interface MemorySample {
  readonly at: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  /** DynamoDB Local's java, a process of its own. */
  readonly javaRss: number | undefined;
}

/** What the injected faults did. */
export interface FaultCounts {
  readonly crashedBefore: number;
  readonly crashedAfter: number;
  readonly throttledSends: number;
  readonly passedSends: number;
}

/** The started stack, as the parent needs it. */
export interface SoakStackInfo {
  readonly apiUrl: string;
  readonly stateKey: string;
  readonly sqsEndpoint: string;
  readonly sesStore: string;
  readonly region: string;
  readonly minimumN: number;
  readonly relayFailures: string;
  readonly queues: readonly {
    readonly name: QueueName;
    readonly url: string;
    readonly dlqUrl: string;
    readonly visibilityTimeoutSeconds: number;
  }[];
}

/** Stack to parent. */
export type StackMessage =
  | { readonly type: 'ready'; readonly stack: SoakStackInfo }
  | { readonly type: 'restarted'; readonly emulator: EmulatorName; readonly ms: number }
  | { readonly type: 'sample'; readonly sample: MemorySample }
  | { readonly type: 'counts'; readonly counts: FaultCounts }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly command: string; readonly error: string };
