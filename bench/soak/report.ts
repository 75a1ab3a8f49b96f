/**
 * The soak's result as data (bench/results/soak-*.json) and as Markdown (soak-*.md): the verdict first, then the
 * traffic, the faults, the reconciliation and the memory.
 */
import { type Machine, machineLine } from '../report';
import type { MemoryTrend } from './memory';
import type { FaultCounts, MemorySample } from './protocol';
import type { DeadLetterReconciliation, DistrictReconciliation, MailReconciliation } from './reconcile';
import type { TrafficCounts, UnexpectedAnswer } from './traffic';

export interface SoakReport {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly machine: Machine;
  readonly options: {
    readonly minutes: number;
    readonly rate: number;
    readonly districts: number;
    readonly faults: readonly string[];
    readonly faultEvery: number;
    readonly visibilityTimeout?: number;
    readonly seed: number;
  };
  readonly passed: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
  readonly traffic: TrafficCounts & { readonly achievedRate: number };
  readonly unexpected: readonly UnexpectedAnswer[];
  /** Acknowledged events the platform had not applied when the reconciliation ended, summed over districts. */
  readonly lost: number;
  /** Events applied more often than acknowledged, summed over districts. */
  readonly doubled: number;
  readonly districts: readonly DistrictReconciliation[];
  readonly mail: MailReconciliation;
  readonly deadLetters: DeadLetterReconciliation;
  readonly relayFailures: number;
  readonly faults: FaultCounts;
  readonly events: readonly { readonly atSeconds: number; readonly what: string }[];
  readonly memory: readonly MemoryTrend[];
  readonly samples: readonly MemorySample[];
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const count = (n: number) => n.toLocaleString('en-US');

export function renderSoakReport(report: SoakReport): string {
  const { options, traffic, mail, deadLetters, faults } = report;
  const minutes = ((Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 60_000).toFixed(1);
  const lines = [
    `# Soak, ${report.startedAt.slice(0, 10)}: ${options.minutes} min at ${options.rate} events/s`,
    '',
    `${report.startedAt} to ${report.endedAt} (${minutes} min with set-up and reconciliation) on ` +
      `${machineLine(report.machine)}. ${options.districts} districts; faults every ${options.faultEvery} s: ` +
      `${options.faults.length > 0 ? options.faults.join(', ') : 'none'}; queues' visibility timeout ` +
      `${options.visibilityTimeout ? `${options.visibilityTimeout} s` : 'as deployed'}; seed ${options.seed}.`,
    '',
    `**${report.passed ? 'Passed' : 'Failed'}**: ${count(report.lost)} events lost, ${count(report.doubled)} ` +
      `counted twice, ${count(mail.duplicates)} duplicate e-mails.`,
    '',
    'An event counts as lost when it was acknowledged and not applied once the reconciliation ended: every ' +
      'district equal to its reference, or nothing applied for a visibility timeout and a minute (a backlog is ' +
      'waited for while it drains), or an hour.',
    '',
    '| Check | Result |',
    '| --- | --- |',
    ...Object.entries(report.checks).map(([check, ok]) => `| ${check} | ${ok ? 'yes' : '**no**'} |`),
    '',
    '## Traffic',
    '',
    '| | Count |',
    '| --- | ---: |',
    `| events offered | ${count(traffic.offered)} (${traffic.achievedRate.toFixed(1)}/s) |`,
    `| events acknowledged | ${count(traffic.acknowledged)} |`,
    `| requests retried (network error, 5xx, 429) | ${count(traffic.retries)} |`,
    `| never acknowledged | ${count(traffic.unacknowledged)} |`,
    `| older milestone writes, not applied as meant | ${count(traffic.staleWrites)} |`,
    `| progress reads | ${count(traffic.progressReads)} |`,
    `| digest runs | ${count(traffic.digestRuns)} |`,
    `| unexpected answers | ${count(report.unexpected.length)} |`,
    '',
    '## Faults',
    '',
    `Worker invocations crashed: ${count(faults.crashedBefore)} before the handler ran, ` +
      `${count(faults.crashedAfter)} after it finished. SES sends throttled: ${count(faults.throttledSends)} ` +
      `(of ${count(faults.throttledSends + faults.passedSends)}).`,
    '',
    '| At | What |',
    '| ---: | --- |',
    ...report.events.map((event) => `| ${event.atSeconds} s | ${event.what} |`),
    '',
    '## Reconciliation',
    '',
    '| District | Events acknowledged | Events applied | Progress equals the reference |',
    '| --- | ---: | ---: | --- |',
    ...report.districts.map(
      (district) =>
        `| ${district.districtId} | ${count(district.expectedEvents)} | ` +
        `${district.appliedEvents === undefined ? '-' : count(district.appliedEvents)} | ` +
        `${district.differences.length === 0 ? 'yes' : `**no**: ${district.differences.join('; ')}`} |`,
    ),
    '',
    `Digests: ${count(mail.expected)} expected (one per subscriber and week run), ${count(mail.received)} ` +
      `received, ${count(mail.duplicates)} duplicates, ${count(mail.missing)} missing. Dead letters when the ` +
      `clients had settled: ${describeDepths(deadLetters.before)}; redriven ${count(deadLetters.redriven)}; ` +
      `after: ${describeDepths(deadLetters.after)}. Stream records the relay gave up on: ${report.relayFailures}.`,
    '',
    '## Memory of the stack process',
    '',
    'Medians of the first and last thirds of the samples after warm-up; DynamoDB Local is a java process of its ' +
      'own, shown for information (its heap grows to its limit by design).' +
      ('stack memory flat' in report.checks
        ? ''
        : ' Not judged: a run this short is all warm-up (memory is judged from 10 minutes on).'),
    '',
    '| Metric | Early | Late | Growth | Slope | Flat |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...report.memory.map(
      (trend) =>
        `| ${trend.metric} | ${mb(trend.early)} | ${mb(trend.late)} | ${(trend.growth * 100).toFixed(1)} % | ` +
        `${mb(trend.slopePerHour)}/h | ${trend.flat ? 'yes' : 'no'} |`,
    ),
  ];
  if (report.unexpected.length > 0) {
    lines.push('', '## Unexpected answers (first 20)', '');
    for (const answer of report.unexpected) {
      lines.push(`- ${answer.what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function describeDepths(depths: Readonly<Record<string, number>>): string {
  return Object.entries(depths)
    .map(([queue, depth]) => `${queue} ${depth}`)
    .join(', ');
}
