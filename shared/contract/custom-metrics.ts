/**
 * The platform's custom CloudWatch metrics, declared once: the functions write them (shared/runtime/metrics.ts)
 * and the state's dashboard graphs them (infra/constructs/observability.ts). Each has the dimensions `service`
 * and `state`; values are counts and durations, never ids.
 */
export const METRICS_NAMESPACE = 'VisionProgress';
export const METRICS_SERVICE = 'vision-progress';

export const METRIC = {
  /** Submissions stored for the first time and milestone writes applied by the API (replays not counted). */
  eventsAccepted: { name: 'EventsAccepted', unit: 'Count' },
  /** Events the metrics worker applied to the progress aggregates (again-delivered ones not counted). */
  eventsApplied: { name: 'EventsApplied', unit: 'Count' },
  /** From a submission's acknowledgement to its application, per district and batch: the oldest one's. */
  freshnessLag: { name: 'FreshnessLag', unit: 'Milliseconds' },
  /** Digests SES accepted. */
  digestsSent: { name: 'DigestsSent', unit: 'Count' },
  /** Subscribers suppressed after a permanent bounce, and after a complaint. */
  bounces: { name: 'Bounces', unit: 'Count' },
  complaints: { name: 'Complaints', unit: 'Count' },
} as const;

export type CustomMetric = (typeof METRIC)[keyof typeof METRIC];
