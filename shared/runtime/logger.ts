/**
 * The one structured logger of every function. Log keys that identify a district or a request are fine; learner
 * and respondent ids and e-mail addresses never go into a log line.
 *
 * Correlation: an API request's id is on every line of its invocation as `correlation_id` (Powertools' own key,
 * set by shared/http/middleware.ts), and it is stored with what the request writes; the metrics worker names the
 * ids of the changes a line applied as `correlation_ids`. A digest run's id is the planner's `correlation_id`
 * (for a run through the API, the request's) and `runId` on each of the sender's lines about one of its jobs. One
 * Logs Insights query over the state's log groups follows a write or a run through the platform.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'vision-progress' });
