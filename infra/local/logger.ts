/**
 * The local stack's own structured logger, apart from the functions' logger (shared/runtime/logger.ts), so that
 * `quiet` silences the stack without changing what the handlers log.
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** A JSON logger for the stack's own events; `quiet` keeps only errors. */
export function createStackLogger(quiet: boolean): Logger {
  return new Logger({ serviceName: 'vision-progress-local', logLevel: quiet ? 'ERROR' : 'INFO' });
}
