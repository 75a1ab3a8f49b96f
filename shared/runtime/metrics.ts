/**
 * The custom metrics of every function (shared/contract/custom-metrics.ts), as CloudWatch embedded metric format
 * (Powertools Metrics): one JSON document per invocation that recorded any, in the function's log, which
 * CloudWatch turns into metrics with the dimensions `service` and `state`.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { type CustomMetric, METRICS_NAMESPACE, METRICS_SERVICE } from '../contract/custom-metrics';

export { METRIC } from '../contract/custom-metrics';

const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: METRICS_SERVICE,
  defaultDimensions: { state: process.env.STATE_CODE ?? 'local' },
});

/** Adds `value` to one of the metrics of this invocation. */
export function record(metric: CustomMetric, value: number): void {
  metrics.addMetric(metric.name, metric.unit, value);
}

/**
 * The middy middleware that publishes what an invocation recorded, after it (also when it failed); an invocation
 * that recorded nothing writes nothing (Powertools' own middleware would warn about it on every such request).
 */
export function publishMetrics(): MiddlewareObj {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}
