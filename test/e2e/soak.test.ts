/**
 * `npm run soak`, short: 40 seconds of mixed traffic at 30 events/s with every fault once (worker crashes, SES
 * throttling, DynamoDB Local, SQS and SES emulator restarts), queues' visibility shortened to 10 s so that crashed
 * batches come back within the test. The command must end with its reconciliation passed: nothing acknowledged
 * lost or counted twice, one digest per subscriber and week, the dead-letter queues empty, every fault having
 * taken effect. Its report must say so, and the stack's log, which holds every warning and error of the faults,
 * must hold no learner id, respondent id or e-mail address.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import type { SoakReport } from '../../bench/soak/report';
import { repoRoot } from '../../infra/paths';

const run = promisify(execFile);
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

it('reconciles every acknowledged write and every digest after a short soak with every fault', async () => {
  const out = await mkdtemp(join(tmpdir(), 'vp-soak-'));
  folders.push(out);
  const argv = ['--minutes', '0.67', '--rate', '30', '--fault-every', '7', '--visibility-timeout', '10'];
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'bench/soak/run.ts', ...argv, '--sample-every', '2', '--out', out],
    { cwd: repoRoot, maxBuffer: 16 * 2 ** 20 },
  );
  const files = await readdir(out);
  const json = files.find((file) => file.endsWith('.json'));
  if (!json) throw new Error(`no report in ${files.join(', ')}`);
  const report = JSON.parse(await readFile(join(out, json), 'utf8')) as SoakReport;

  expect(report.checks).toEqual({
    'every acknowledged event applied once': true,
    'no unexpected answer': true,
    'every write acknowledged in the end': true,
    'one digest per subscriber and period': true,
    'dead-letter queues empty after redrive': true,
    'stream relay gave up on nothing': true,
    'every fault kind took effect': true,
  });
  expect(report.passed).toBe(true);
  expect(report.lost).toBe(0);
  expect(report.doubled).toBe(0);
  expect(report.traffic.acknowledged).toBeGreaterThan(150);
  expect(report.districts.every((district) => district.appliedEvents === district.expectedEvents)).toBe(true);
  expect(report.mail.expected).toBeGreaterThan(0);
  expect(report.mail.duplicates).toBe(0);
  expect(stdout).toContain('**Passed**: 0 events lost, 0 counted twice, 0 duplicate e-mails.');

  const log = await readFile(join(out, json.replace(/\.json$/, '.stack.log')), 'utf8');
  expect(log).not.toMatch(/"[lr]-[0-9a-z]{1,4}"/);
  expect(log).not.toMatch(/@(soak-\d+|state)\.example\.us/);
  // about 2 minutes on a quiet machine; a loaded one drains the backlog slower, which the soak waits for while it moves
}, 600_000);
