import { posix } from 'node:path';
import { Duration, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_PACKAGE_FILES } from '../../functions/api/package-files';
import { fromRoot } from '../paths';
import type { FunctionName, FunctionSpec } from '../topology';
import { FUNCTION_BUNDLING, FUNCTION_NODE_OPTIONS } from './bundling';

export interface AppFunctionProps {
  /** The function's name in the topology; tagged on the function so a template can be read back by it. */
  readonly name: FunctionName;
  /** The function as the topology declares it: entry, timeout, memory, description. */
  readonly spec: FunctionSpec;
  /** Environment; merged over the variables every function gets. */
  readonly environment: Readonly<Record<string, string>>;
  /** Days the function's logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * A physical name, for a function that others must reach by ARN without a CloudFormation reference to it.
   * @default a name CloudFormation generates
   */
  readonly functionName?: string;
}

/** Tag carrying a function's topology name. */
export const FUNCTION_TAG = 'vision-progress:function';

/**
 * What the Powertools Tracer of a function (shared/runtime/tracer.ts) never records: its handler's response and
 * errors as trace metadata. A response may carry learner evidence or a key, an error's message an address.
 */
const TRACER_ENVIRONMENT = {
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
} as const;

/**
 * Package files a function reads from disk at run time, relative to node_modules. esbuild bundles what is
 * imported; these are copied next to the bundle under the same `node_modules/` paths, where the function's
 * `require.resolve` finds them as it does in the repository.
 */
const PACKAGE_FILES: Partial<Record<FunctionName, readonly string[]>> = { api: API_PACKAGE_FILES };

/** Shell commands that copy package files from the project's node_modules into the bundle's. */
function copyPackageFiles(files: readonly string[], inputDir: string, outputDir: string): string[] {
  return files.map((file) => {
    const folder = posix.dirname(file);
    return `mkdir -p "${outputDir}/node_modules/${folder}" && cp "${inputDir}/node_modules/${file}" "${outputDir}/node_modules/${file}"`;
  });
}

/**
 * Every Lambda of the platform: Node 24 on arm64, an ESM bundle with the AWS SDK inside (no dependence on the
 * runtime's SDK version), active X-Ray tracing (with the Tracer's response and error capture off), its own log
 * group with a retention, and its own role that may write only to that log group. Capabilities add their grants
 * to `role`.
 */
export class AppFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { spec } = props;
    const packageFiles = PACKAGE_FILES[props.name] ?? [];
    if (spec.timeoutSeconds < 1 || spec.timeoutSeconds > 900) {
      throw new Error(`${id}: timeoutSeconds must be within 1..900, got ${spec.timeoutSeconds}`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${spec.entry}`,
    });
    // what AWSLambdaBasicExecutionRole allows, narrowed to this function's own log group
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: fromRoot(spec.entry),
      handler: 'handler',
      functionName: props.functionName,
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { NODE_OPTIONS: FUNCTION_NODE_OPTIONS, ...TRACER_ENVIRONMENT, ...props.environment },
      depsLockFilePath: fromRoot('package-lock.json'),
      projectRoot: fromRoot(''),
      bundling: {
        ...FUNCTION_BUNDLING,
        ...(packageFiles.length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir, outputDir) => copyPackageFiles(packageFiles, inputDir, outputDir),
              },
            }
          : {}),
      },
    });
    Tags.of(this.function).add(FUNCTION_TAG, props.name);
  }
}
