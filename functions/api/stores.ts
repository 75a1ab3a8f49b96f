/** The api function's stores, created once per container. */
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
