/**
 * docs/runbook.md against the project: every command in its shell blocks is one the project provides, with options
 * and arguments its CLI accepts, and one a test exercises; every alarm of a state's stack has its section; the
 * teardown names every kind of resource the stack leaves behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStateConfigs } from '../../infra/config/index';
import { buildProgram } from '../../infra/ops/cli';
import { CommandContext } from '../../infra/ops/command-context';
import type { AwsClients } from '../../infra/ops/context';
import { fromRoot, repoRoot } from '../../infra/paths';
import { stackName } from '../../infra/stack';
import { resourcesOf, synthState } from './synth';

const runbook = readFileSync(fromRoot('docs/runbook.md'), 'utf8');

/** The lines of the runbook's shell blocks that run a project script, comments and `export`s left out. */
const commands = [...runbook.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((block) => (block[1] ?? '').split('\n'))
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line.startsWith('npm run '));

/** A shell line's words, with single and double quotes honoured. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

/** The script's arguments of `npm run <script> -- …`. */
function scriptArgs(line: string, script: string): string[] | undefined {
  const all = words(line);
  if (all[2] !== script) return undefined;
  return all[3] === '--' ? all.slice(4) : all.slice(3);
}

const allOptions = (command: Command): readonly Option[] => {
  const own = command.options as readonly Option[];
  return command.parent ? [...own, ...allOptions(command.parent)] : own;
};

/** Checks an ops argv against the program; resolves the command path, or throws naming what is wrong. */
function checkOps(program: Command, argv: readonly string[]): string[] {
  let command = program;
  const path: string[] = [];
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] ?? '';
    if (word.startsWith('--')) {
      const [flag] = word.split('=');
      const option = allOptions(command).find((candidate) => candidate.long === flag);
      if (!option) throw new Error(`${path.join(' ')}: no option ${flag}`);
      if ((option.required || option.optional) && !word.includes('=')) {
        index += 1;
        // a variadic option takes the words up to the next option
        if (option.variadic) while (argv[index + 1] && !argv[index + 1]?.startsWith('-')) index += 1;
      }
      continue;
    }
    const sub =
      positional.length === 0 ? command.commands.find((candidate) => candidate.name() === word) : undefined;
    if (sub) {
      command = sub;
      path.push(word);
    } else positional.push(word);
  }
  if (command.commands.length > 0) throw new Error(`${path.join(' ')} needs a subcommand`);
  const expected = command.registeredArguments;
  const required = expected.filter((argument) => argument.required).length;
  const variadic = expected.some((argument) => argument.variadic);
  const all = allOptions(command).some((option) => option.long === '--all') && argv.includes('--all');
  if ((positional.length < required && !all) || (!variadic && positional.length > expected.length)) {
    throw new Error(`${path.join(' ')}: ${positional.length} arguments (${positional.join(' ')})`);
  }
  return path;
}

/** Every test file's text. */
function testSources(): string {
  const texts: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts') && !path.endsWith('runbook.test.ts')) {
        texts.push(readFileSync(path, 'utf8'));
      }
    }
  };
  walk(join(repoRoot, 'test'));
  return texts.join('\n');
}

describe('the runbook', () => {
  const program = buildProgram(
    new CommandContext({ out: () => undefined, err: () => undefined, env: {} }, {} as AwsClients),
  );
  const tests = testSources();

  it('runs the ops CLI, the CDK, the conformance kit and the soak, and nothing else', () => {
    expect(commands.length).toBeGreaterThan(30);
    const scripts = new Set(commands.map((line) => words(line)[2]));
    expect([...scripts].sort()).toEqual(['cdk', 'conformance', 'ops', 'soak']);
  });

  it.each(commands.filter((line) => scriptArgs(line, 'ops')))(
    '`%s` is an ops command a test runs',
    (line) => {
      const argv = scriptArgs(line, 'ops') ?? [];
      const path = checkOps(program, argv);
      // the tests call the CLI as runOps(['dlq', 'redrive', …]) or spawn it with the same words
      const called = path.map((word) => `'${word}'`).join(', ');
      expect(tests, `no test runs ops ${path.join(' ')}`).toContain(called);
    },
  );

  it.each(commands.filter((line) => scriptArgs(line, 'cdk')))(
    '`%s` names a stack and a state the app deploys',
    (line) => {
      const argv = scriptArgs(line, 'cdk') ?? [];
      expect(['synth', 'deploy', 'destroy', 'bootstrap']).toContain(argv[0]);
      const state = argv[argv.indexOf('-c') + 1]?.replace(/^state=/, '') ?? '';
      const codes = loadStateConfigs().map((config) => config.stateCode);
      expect(codes).toContain(state);
      const named = argv.slice(1).find((word) => word.startsWith('VisionProgress-'));
      if (named) expect(named).toBe(stackName(state));
    },
  );

  it.each([
    ['conformance', 'test/conformance/run.ts', 'test/e2e/conformance-kit.test.ts'],
    ['soak', 'bench/soak/run.ts', 'test/e2e/soak.test.ts'],
  ])('runs `%s` only with the options its program defines, and a test runs it', (script, source, test) => {
    const text = readFileSync(fromRoot(source), 'utf8');
    for (const line of commands.filter((candidate) => scriptArgs(candidate, script))) {
      for (const flag of (scriptArgs(line, script) ?? []).filter((word) => word.startsWith('--'))) {
        expect(text, `${script} has no ${flag}`).toContain(`'${flag}`);
      }
    }
    expect(readFileSync(fromRoot(test), 'utf8')).toContain(source);
  });

  describe("against a state's stack", () => {
    let alarms: string[];
    let retained: string[];
    beforeAll(() => {
      const template = synthState('OH');
      // Observability<construct id><8 hex digits of the path's hash>
      alarms = Object.keys(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((id) =>
        id.replace(/^Observability/, '').replace(/[0-9A-F]{8}$/, ''),
      );
      const resources = template.toJSON().Resources as Record<
        string,
        { Type: string; DeletionPolicy?: string }
      >;
      retained = [
        ...new Set(
          Object.values(resources)
            .filter((resource) => resource.DeletionPolicy === 'Retain')
            .map((resource) => resource.Type),
        ),
      ];
    }, 120_000);

    it('has a section for every alarm', () => {
      expect(alarms.length).toBeGreaterThan(10);
      const headings = [...runbook.matchAll(/^### (\S+)$/gm)].map((match) => match[1]);
      for (const alarm of alarms) expect(headings, `no section for ${alarm}`).toContain(alarm);
    });

    it('names every kind of resource a teardown leaves behind', () => {
      const teardown = runbook.slice(runbook.indexOf('## 10. Tearing a state down'));
      for (const type of retained) expect(teardown, `${type} is retained`).toContain(`\`${type}\``);
    });
  });
});
