/**
 * What a command's action is handed: the surroundings of the run and the options shared by every command, read
 * the same way everywhere.
 */
import type { Command } from 'commander';
import type { ApiClient } from '../../shared/contract/client';
import { clientFor } from './api';
import type { AwsClients, OpsIo } from './context';
import { type ApiTarget, resolveApiTarget, selectTarget, type Target, type TargetOptions } from './target';

/** The options of the program, which every command takes. */
export interface GlobalOptions extends TargetOptions {
  readonly json?: boolean;
}

export class CommandContext {
  constructor(
    readonly io: OpsIo,
    readonly aws: AwsClients,
  ) {}

  /** The command's own options merged with the program's. */
  options<T extends object = object>(command: Command): GlobalOptions & T {
    return command.optsWithGlobals<GlobalOptions & T>();
  }

  /** Where the command goes. */
  target(command: Command): Target {
    return selectTarget(this.options(command), this.io.env);
  }

  /** The API of the target and a client that calls it with the state key. */
  async api(command: Command): Promise<{ readonly target: ApiTarget; readonly client: ApiClient }> {
    const target = await resolveApiTarget(this.target(command), this.options(command), this.io.env, this.aws);
    return { target, client: clientFor(target) };
  }
}
