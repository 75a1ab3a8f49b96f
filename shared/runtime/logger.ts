/**
 * The one structured logger of every function. Log keys that identify a district or a request are fine; learner
 * and respondent ids and e-mail addresses never go into a log line.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'vision-progress' });
