/**
 * What rendering costs the digest sender per e-mail, apart from the table and SES: the model built from a
 * district's progress and its e-mail rendered (HTML and text), for a realistic district digest and for a state
 * roll-up of 50 districts. The baseline, measured in the same run, is JSON.stringify of the same model: what the
 * most trivial renderer of those facts would cost.
 *
 * The inputs are the e-mail tests' realistic fixtures (test/support/digest-fixtures.ts): reports computed by the
 * real progress code, long names, thirty milestones, suppressed cells. Computing the reports is setup, outside
 * the timed loop, as the sender reads them ready-made from the table.
 */
import { Bench } from 'tinybench';
import {
  buildDistrictDigest,
  buildStateRollup,
  type DistrictDigestInput,
  type StateRollupInput,
} from '../../shared/domain/digest';
import { renderDistrictDigest, renderStateRollup } from '../../shared/email';
import {
  manyMilestones,
  realisticDigestInput,
  reportOf,
  rollupInput,
} from '../../test/support/digest-fixtures';
import type { BenchSection, Figure, SectionResult } from '../types';

const ROLLUP_DISTRICTS = 50;
/** Milliseconds each task is run for, after tinybench's warm-up. */
const TASK_TIME_MS = { quick: 500, full: 3_000 } as const;

interface Email {
  /** Key part and label, e.g. `district` and `district digest`. */
  readonly key: string;
  readonly label: string;
  /** Builds the model and renders the e-mail; returns its HTML and text length. */
  readonly render: () => number;
  /** JSON.stringify of the model `render` builds, built once. */
  readonly stringify: () => number;
}

export const renderSection: BenchSection = {
  name: 'render',
  async run(context) {
    const emails = [districtDigest(realisticDigestInput()), stateRollup(rollupOf(ROLLUP_DISTRICTS))];
    const bench = new Bench({ time: TASK_TIME_MS[context.mode] });
    for (const email of emails) {
      bench.add(`${email.key}.render`, email.render);
      bench.add(`${email.key}.stringify`, email.stringify);
    }
    context.log(`${bench.tasks.length} tasks of ${TASK_TIME_MS[context.mode]} ms`);
    await bench.run();
    return report(emails, (task) => medianMs(bench, task));
  },
};

function districtDigest(input: DistrictDigestInput): Email {
  const model = buildDistrictDigest(input);
  return {
    key: 'district',
    label: 'district digest',
    render: () => lengthOf(renderDistrictDigest(buildDistrictDigest(input))),
    stringify: () => JSON.stringify(model).length,
  };
}

function stateRollup(input: StateRollupInput): Email {
  const model = buildStateRollup(input);
  return {
    key: `rollup${input.districts.length}`,
    label: `state roll-up of ${input.districts.length} districts`,
    render: () => lengthOf(renderStateRollup(buildStateRollup(input))),
    stringify: () => JSON.stringify(model).length,
  };
}

/** The tests' roll-up, grown to `count` districts of varied sizes, a third with a suppressed condition. */
function rollupOf(count: number): StateRollupInput {
  const base = rollupInput();
  return {
    ...base,
    districts: Array.from({ length: count }, (_, index) => {
      const milestones = manyMilestones().slice(0, 6 + (index % 8) * 3);
      const name = base.districts[index % base.districts.length]?.districtName ?? 'District';
      return {
        districtName: `${name} ${Math.floor(index / base.districts.length) + 1}`,
        report: reportOf(`d-${index}`, milestones, {
          seed: 11 + index,
          transparencyRespondents: index % 3 === 0 ? 4 : 20,
        }),
      };
    }),
  };
}

const lengthOf = (email: { readonly html: string; readonly text: string }) =>
  email.html.length + email.text.length;

function medianMs(bench: Bench, name: string): number {
  const result = bench.getTask(name)?.result;
  if (result?.state !== 'completed')
    throw new Error(`render: task ${name} did not complete (${result?.state})`);
  return result.latency.p50;
}

function report(emails: readonly Email[], median: (task: string) => number): SectionResult {
  const figures: Figure[] = emails.flatMap((email) => {
    const renderMs = median(`${email.key}.render`);
    const stringifyMs = median(`${email.key}.stringify`);
    return [
      {
        key: `render.${email.key}.ms`,
        label: `${email.label}: model + render, per e-mail`,
        value: round(renderMs, 3),
        unit: 'ms',
        detail: `${Math.round(email.render() / 1024)} KB of HTML and text`,
      },
      {
        key: `render.${email.key}.perSecond`,
        label: `${email.label}: e-mails per second per core`,
        value: Math.round(1_000 / renderMs),
        unit: 'e-mails/s',
      },
      {
        key: `render.${email.key}.ratio`,
        label: `${email.label}: render / JSON.stringify of the model`,
        value: round(renderMs / stringifyMs, 1),
        unit: '×',
        detail: `JSON.stringify ${round(stringifyMs, 3)} ms`,
      },
    ];
  });
  return {
    title: 'Digest rendering',
    figures,
    notes: [
      'Median of tinybench samples on one core, after its warm-up; each sample builds the model from the ' +
        'progress reports and renders the subject, HTML and text parts.',
    ],
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
