/**
 * The benchmark report (bench/report.ts): what README.md's Performance section shows after a run. The benchmarks
 * themselves are not run here; this checks only how their figures are written.
 */
import { describe, expect, it } from 'vitest';
import { type BenchRun, README_END, README_START, renderReport, updateReadme } from '../../bench/report';

const run: BenchRun = {
  mode: 'full',
  startedAt: '2026-11-26T10:00:00.000Z',
  endedAt: '2026-11-26T10:12:30.000Z',
  machine: {
    os: 'Debian',
    kernel: 'Linux 6.1',
    cpuModel: 'CPU',
    cpuCount: 2,
    memoryGiB: 8,
    node: 'v24.21.0',
  },
  sections: [
    {
      name: 'ingest',
      status: 'ok',
      seconds: 120,
      title: 'Ingest',
      figures: [
        {
          key: 'ingest.single.ratio',
          label: 'single POST / raw PutItem',
          value: 0.84,
          unit: '×',
          target: { text: '≥ 0.8', met: true },
        },
        { key: 'ingest.single.rps', label: 'single POST throughput', value: 1234.5, unit: 'req/s' },
      ],
      notes: ['Measured with autocannon.'],
    },
    { name: 'digests', status: 'failed', seconds: 3, error: 'Error: no stack\n    at run' },
  ],
};

const README = '# Project\n\n## Demo\n\nnpm run demo\n\n## Data flow\n\narrows\n';

describe('the benchmark report', () => {
  it('adds a Performance section after the Demo section, with the targets and each failed section', () => {
    const readme = updateReadme(README, run, 'bench/results/2026-11-26.md');
    const performance = readme.indexOf('## Performance');
    expect(performance).toBeGreaterThan(readme.indexOf('## Demo'));
    expect(performance).toBeLessThan(readme.indexOf('## Data flow'));
    expect(readme).toMatch(/\| ingest +\| single POST \/ raw PutItem +\| 0\.84 +\| × +\| ✅ ≥ 0\.8 +\|/);
    expect(readme).toMatch(/\| digests +\| failed: Error: no stack +\|/);
    expect(readme).not.toContain('single POST throughput');
    expect(readme).toContain('12.5 min on Debian (Linux 6.1), CPU × 2, 8 GiB, Node v24.21.0');
  });

  it('replaces only what is between the markers on the next run', () => {
    const first = updateReadme(README, run, 'bench/results/2026-11-26.md');
    const next = updateReadme(first, { ...run, startedAt: '2026-12-03T10:00:00.000Z' }, 'bench/results/x.md');
    expect(next.split(README_START)).toHaveLength(2);
    expect(next.split(README_END)[1]).toBe(first.split(README_END)[1]);
    expect(next).toContain('Latest run: 2026-12-03');
  });

  it('writes every figure and note of a section, and the error of a failed one', () => {
    const report = renderReport(run);
    expect(report).toMatch(/\| single POST throughput +\| 1,234\.5 +\| req\/s +\|/);
    expect(report).toContain('Measured with autocannon.');
    expect(report).toContain('## digests: failed after 3 s\n\n```text\nError: no stack');
  });
});
