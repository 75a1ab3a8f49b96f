/** The api function's stores, created once per container. */
import { unsubscribeSecretsFromEnvironment } from '../../shared/runtime/unsubscribe-secrets';
import { DigestContent } from '../../shared/store/digest-content';
import { DigestPlanner } from '../../shared/store/digest-planner';
import { DigestQueue } from '../../shared/store/digest-queue';
import { DistrictStore } from '../../shared/store/districts';
import { KeyStore } from '../../shared/store/keys';
import { MilestoneStore } from '../../shared/store/milestones';
import { ProgressStore } from '../../shared/store/progress';
import { SubmissionStore } from '../../shared/store/submissions';
import { SubscriberStore } from '../../shared/store/subscribers';
import { UsagePlanKeys } from '../../shared/store/usage-plan';
import { apiEnvironment } from './environment';

export const districts = new DistrictStore(apiEnvironment.TABLE_NAME);
export const apiKeys = new KeyStore(apiEnvironment.TABLE_NAME);
export const milestones = new MilestoneStore(apiEnvironment.TABLE_NAME);
export const progress = new ProgressStore(apiEnvironment.TABLE_NAME);
export const submissions = new SubmissionStore(apiEnvironment.TABLE_NAME);
export const subscribers = new SubscriberStore(apiEnvironment.TABLE_NAME);
export const digestPlanner = new DigestPlanner(
  subscribers,
  new DigestQueue(apiEnvironment.DIGEST_QUEUE_URL),
  apiEnvironment.STATE_TIMEZONE,
);
export const usagePlan = new UsagePlanKeys(apiEnvironment.USAGE_PLAN_ID);
export const digestContent = new DigestContent(progress, districts, {
  stateName: apiEnvironment.STATE_NAME,
  timezone: apiEnvironment.STATE_TIMEZONE,
  minimumN: apiEnvironment.MINIMUM_N,
});
/** Verifies unsubscribe tokens (GET/POST /v1/unsubscribe). */
export const unsubscribeSecrets = unsubscribeSecretsFromEnvironment('verify');
