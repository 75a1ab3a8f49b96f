/**
 * The functions as Lambda gets them: the size of each bundle and the time a fresh Node process takes to import
 * and initialise it, which is what a cold start adds on top of the runtime's own.
 *
 * Each function of the topology is bundled through esbuild's API with the options AppFunction gives the CDK
 * (infra/constructs/bundling.ts; test/infra/bundle.test.ts checks that the bytes are the same), plus a metafile
 * that says which packages the bytes come from. Each bundle is then imported by a one-line harness in a new
 * process of the project's Node, with the function's environment as in AWS (dummy resource names, fake
 * credentials), N times in turn with a hello-world handler bundled the same way, the baseline of the ratios.
 * The harness also counts the sockets opened during init: a function must not touch the network before its
 * first event, and the section fails if one does.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, version as esbuildVersion, type Metafile } from 'esbuild';
import { loadStateConfig } from '../../infra/config';
import { BUNDLE_FILE, esbuildOptions, FUNCTION_NODE_OPTIONS } from '../../infra/constructs/bundling';
import { functionEnvironment, type ResourceNames } from '../../infra/environment';
import { fromRoot } from '../../infra/paths';
import { type FunctionName, topology } from '../../infra/topology';
import { percentile } from '../support/load';
import type { BenchContext, BenchSection, Figure, SectionResult } from '../types';

const run = promisify(execFile);

const SIZE_TARGET_KB = 400;
const IMPORT_TARGET_MS = 150;
/** Imports per bundle: the median of these is the figure. */
const IMPORTS = { quick: 5, full: 15 } as const;
const TOP_PACKAGES = 5;

/** The project's own Node (the `node` dev dependency), the version Lambda runs: not whichever is on the PATH. */
const NODE = fromRoot('node_modules/.bin/node');

/** Names of resources as a deployed stack has them; init only reads them, nothing is called. */
const RESOURCES: ResourceNames = {
  tableName: 'VisionProgress-XX-DataTable-1A2B3C4D5E6F',
  queueUrls: {
    metrics: 'https://sqs.us-east-1.amazonaws.com/123456789012/VisionProgress-XX-MetricsQueue',
    digest: 'https://sqs.us-east-1.amazonaws.com/123456789012/VisionProgress-XX-DigestQueue',
    mailEvents: 'https://sqs.us-east-1.amazonaws.com/123456789012/VisionProgress-XX-MailEventsQueue',
  },
  usagePlanId: 'a1b2c3',
  unsubscribeSecret: {
    arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:VisionProgress-XX-Unsubscribe-AbCdEf',
  },
  sesConfigurationSet: 'VisionProgress-XX-Digests',
};

/** What the Lambda runtime sets for every function, with credentials that sign nothing real. */
const LAMBDA_ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'bench',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  TZ: ':UTC',
  NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
} as const;

/**
 * Imports the bundle given as the first argument and prints the milliseconds the import took and the sockets
 * and fetches attempted by then (and in the 50 ms after, for work init started without awaiting it). With
 * `profile` as the second argument, it also profiles the import and prints its CPU time by kind of work.
 */
const HARNESS = `
import net from 'node:net';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
let connections = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { connections += 1; return connect.apply(this, args); };
const fetch = globalThis.fetch;
globalThis.fetch = (...args) => { connections += 1; return fetch(...args); };
const url = pathToFileURL(process.argv[1]).href;
const session = process.argv[2] === 'profile' ? new Session() : undefined;
if (session) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start'); }
const loaded = new Set(process.moduleLoadList);
const start = performance.now();
const bundle = await import(url);
const ms = performance.now() - start;
const builtins = process.moduleLoadList.filter((entry) => !loaded.has(entry) && entry.startsWith('NativeModule '))
  .map((entry) => entry.slice('NativeModule '.length)).filter((name) => !name.startsWith('internal/'));
const profile = session ? (await session.post('Profiler.stop')).profile : undefined;
await new Promise((resolve) => setTimeout(resolve, 50));
const kinds = {};
if (profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  // a native frame (no url: a file read, a UTF-8 decode) counts for the JavaScript that called it
  const frameOf = (node) => {
    while (node.callFrame.url === '' && !node.callFrame.functionName.startsWith('(') && parents.has(node.id))
      node = parents.get(node.id);
    return node.callFrame;
  };
  const kindOf = ({ url: file, functionName: name }) =>
    file === url ? 'the bundle’s own code' : file.includes('source_map') ? 'source maps'
      : name === 'compileSourceTextModule' ? 'parse and compile'
      : name === '(garbage collector)' ? 'garbage collection'
      : file === 'node:inspector' ? 'the profiler' : file.startsWith('node:') ? 'loading Node built-ins' : 'other';
  profile.samples.forEach((id, i) => {
    const kind = kindOf(frameOf(nodes.get(id)));
    if (kind !== 'the profiler') kinds[kind] = (kinds[kind] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
  });
}
process.stdout.write(JSON.stringify({ ms, connections, handler: typeof bundle.handler, node: process.version, kinds, builtins }));
`;

/** The smallest handler, bundled and imported like the others: what Node and the harness cost by themselves. */
const HELLO_WORLD = "export const handler = async () => ({ statusCode: 200, body: 'hello' });\n";
const HELLO = 'hello-world';

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly packages: readonly PackageBytes[];
  readonly environment: Readonly<Record<string, string>>;
}

interface PackageBytes {
  readonly name: string;
  readonly bytes: number;
}

interface ImportTimes {
  readonly medianMs: number;
  readonly node: string;
}

export const functionsSection: BenchSection = {
  name: 'functions',
  async run(context) {
    const dir = await mkdtemp(join(tmpdir(), 'vp-bench-functions-'));
    try {
      return await measure(context, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

async function measure(context: BenchContext, dir: string): Promise<SectionResult> {
  const names = Object.keys(topology.functions) as FunctionName[];
  const config = loadStateConfig('XX');
  const bundles: Bundle[] = [];
  for (const name of names) {
    const environment = {
      ...functionEnvironment(name, config, RESOURCES),
      ...LAMBDA_ENVIRONMENT,
      AWS_LAMBDA_FUNCTION_NAME: `VisionProgress-XX-${name}`,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(topology.functions[name].memoryMb),
    };
    bundles.push(await bundle(name, fromRoot(topology.functions[name].entry), join(dir, name), environment));
    context.log(`bundled ${name}`);
  }
  const helloEntry = join(dir, 'hello-world.mjs');
  await writeFile(helloEntry, HELLO_WORLD);
  const hello = await bundle(HELLO, helloEntry, join(dir, HELLO), LAMBDA_ENVIRONMENT);

  const times = await importTimes([hello, ...bundles], IMPORTS[context.mode], context);
  const helloMs = timesOf(times, HELLO).medianMs;
  const slow = bundles.filter((b) => timesOf(times, b.name).medianMs > IMPORT_TARGET_MS);
  const profiles: string[] = [];
  for (const b of slow) {
    context.log(`profiling the import of ${b.name}`);
    profiles.push(profileNote(b, timesOf(times, b.name).medianMs, await importOnce(b, true)));
  }
  const figures: Figure[] = [
    { key: 'functions.hello-world.sizeKb', label: 'hello-world bundle', value: kb(hello.bytes), unit: 'KB' },
    {
      key: 'functions.hello-world.importMs',
      label: 'hello-world import + init',
      value: round(helloMs, 2),
      unit: 'ms',
    },
    ...bundles.flatMap((b) => functionFigures(b, timesOf(times, b.name).medianMs, helloMs)),
  ];
  return {
    title: 'Functions: bundle size and cold import',
    figures,
    notes: [
      `Bundled with esbuild ${esbuildVersion} and the CDK's options (minified ESM, AWS SDK inside); sizes are ` +
        `index.mjs without its source map, 1 KB = 1,024 bytes.`,
      `Import + init: median of ${IMPORTS[context.mode]} imports per bundle, each in a fresh ` +
        `${timesOf(times, HELLO).node} process with NODE_OPTIONS=${FUNCTION_NODE_OPTIONS} as in Lambda, ` +
        'the bundles taken in turn; no bundle opened a socket during init.',
      ...bundles.map(
        (b) =>
          `Biggest inputs of ${b.name}: ${b.packages.map((p) => `${p.name} ${kb(p.bytes)} KB`).join(', ')}.`,
      ),
      ...profiles,
    ],
  };
}

/** Size, import time and its ratio to hello-world's, for one function. */
function functionFigures(b: Bundle, ms: number, helloMs: number): Figure[] {
  const sizeKb = kb(b.bytes);
  return [
    {
      key: `functions.${b.name}.sizeKb`,
      label: `${b.name} bundle`,
      value: sizeKb,
      unit: 'KB',
      detail: `largest input ${b.packages[0]?.name ?? 'none'}`,
      target: { text: `≤ ${SIZE_TARGET_KB} KB`, met: sizeKb <= SIZE_TARGET_KB },
    },
    {
      key: `functions.${b.name}.importMs`,
      label: `${b.name} import + init`,
      value: round(ms, 1),
      unit: 'ms',
      detail: `hello-world ${round(helloMs, 1)} ms`,
      target: { text: `≤ ${IMPORT_TARGET_MS} ms`, met: ms <= IMPORT_TARGET_MS },
    },
    {
      key: `functions.${b.name}.importRatio`,
      label: `${b.name} import + init / hello-world`,
      value: round(ms / helloMs, 1),
      unit: '×',
    },
  ];
}

/** What kinds of work take CPU time: the step that makes an import slow is the one to shorten. */
const NEXT_STEP: Readonly<Record<string, string>> = {
  'parse and compile':
    'fewer bytes to parse (the biggest inputs above), or parts of the bundle imported on first use',
  'source maps': `a smaller source map (without sourcesContent) or no ${FUNCTION_NODE_OPTIONS}, which reads it at import`,
  'the bundle’s own code': 'less work at module level, deferred to the first event that needs it',
  'garbage collection': 'fewer objects made at init',
  'loading Node built-ins': 'fewer Node built-ins required at init',
  other: 'a look at the full profile (--cpu-prof)',
};

/** Where one profiled import of a slow function spent its CPU time, largest share first, and the next step. */
function profileNote(b: Bundle, medianMs: number, { kinds, builtins }: HarnessOutput): string {
  const total = Object.values(kinds).reduce((sum, ms) => sum + ms, 0);
  const shares = Object.entries(kinds)
    .filter(([, ms]) => ms >= total / 200)
    .sort((x, y) => y[1] - x[1]);
  const [first] = shares;
  const listed = shares.map(([kind, ms]) => `${kind} ${Math.round((100 * ms) / total)} %`).join(', ');
  return (
    `${b.name} imports in ${round(medianMs, 1)} ms, over ${IMPORT_TARGET_MS} ms; CPU time of one profiled ` +
    `import: ${listed}; Node built-ins it loads: ${builtins.join(', ') || 'none'}. ` +
    `Next step: ${first ? NEXT_STEP[first[0]] : 'profile it again'}.`
  );
}

/** Bundles one entry as the CDK does, and reads from the metafile how many output bytes each package gave. */
async function bundle(
  name: string,
  entry: string,
  outdir: string,
  environment: Readonly<Record<string, string>>,
): Promise<Bundle> {
  const result = await build({ ...esbuildOptions(entry, outdir), metafile: true, logLevel: 'silent' });
  const file = join(outdir, BUNDLE_FILE);
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`/${BUNDLE_FILE}`));
  if (!output) throw new Error(`esbuild wrote no ${BUNDLE_FILE} for ${name}`);
  return { name, file, bytes: output[1].bytes, packages: biggestPackages(output[1].inputs), environment };
}

type OutputInputs = Metafile['outputs'][string]['inputs'];

/** The packages that put the most bytes in the bundle; the project's own files count as one. */
function biggestPackages(inputs: OutputInputs): PackageBytes[] {
  const bytes = new Map<string, number>();
  for (const [path, input] of Object.entries(inputs)) {
    const name = packageOf(path);
    bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...bytes.entries()]
    .map(([name, total]) => ({ name, bytes: total }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP_PACKAGES);
}

/** `@aws-sdk/client-sqs` from `node_modules/@aws-sdk/client-sqs/dist-es/…`, the innermost node_modules. */
function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return 'project code';
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

/**
 * Imports every bundle `rounds` times, one bundle after the other in each round, so that a burst of load from
 * elsewhere on the machine falls on all of them rather than on one.
 */
async function importTimes(
  bundles: readonly Bundle[],
  rounds: number,
  context: BenchContext,
): Promise<Map<string, ImportTimes>> {
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  let node = '';
  for (let round = 0; round < rounds; round += 1) {
    for (const b of bundles) {
      const sample = await importOnce(b);
      samples.get(b.name)?.push(sample.ms);
      node = sample.node;
    }
    context.log(`import round ${round + 1}/${rounds}`);
  }
  return new Map(
    [...samples.entries()].map(([name, ms]) => [
      name,
      {
        medianMs: percentile(
          [...ms].sort((a, b) => a - b),
          0.5,
        ),
        node,
      },
    ]),
  );
}

interface HarnessOutput {
  readonly ms: number;
  readonly connections: number;
  readonly handler: string;
  readonly node: string;
  /** With `profile`: CPU milliseconds of the import by kind of work. */
  readonly kinds: Readonly<Record<string, number>>;
  /** Node's public built-in modules the import loaded. */
  readonly builtins: readonly string[];
}

/**
 * One import of a bundle in a new process, profiled or not; fails if the bundle has no handler or opened a
 * connection.
 */
async function importOnce(b: Bundle, profile = false): Promise<HarnessOutput> {
  const args = ['--input-type=module', '--eval', HARNESS, b.file, ...(profile ? ['profile'] : [])];
  const { stdout } = await run(NODE, args, {
    env: { PATH: process.env.PATH ?? '', ...b.environment },
  });
  const output = JSON.parse(stdout) as HarnessOutput;
  if (output.handler !== 'function') throw new Error(`${b.name}: the bundle exports no handler function`);
  if (output.connections > 0) {
    throw new Error(`${b.name}: init opened ${output.connections} connection(s); it must wait for an event`);
  }
  return output;
}

function timesOf(times: Map<string, ImportTimes>, name: string): ImportTimes {
  const found = times.get(name);
  if (!found) throw new Error(`no import times for ${name}`);
  return found;
}

const kb = (bytes: number) => round(bytes / 1024, 1);
const round = (value: number, digits: number) => Number(value.toFixed(digits));
