/** The api function's stores, created once per container. */
import { DistrictStore } from '../../shared/store/districts';
import { KeyStore } from '../../shared/store/keys';
import { MilestoneStore } from '../../shared/store/milestones';
import { ProgressStore } from '../../shared/store/progress';
import { SubmissionStore } from '../../shared/store/submissions';
import { UsagePlanKeys } from '../../shared/store/usage-plan';
import { apiEnvironment } from './environment';

export const districts = new DistrictStore(apiEnvironment.TABLE_NAME);
export const apiKeys = new KeyStore(apiEnvironment.TABLE_NAME);
export const milestones = new MilestoneStore(apiEnvironment.TABLE_NAME);
export const progress = new ProgressStore(apiEnvironment.TABLE_NAME);
export const submissions = new SubmissionStore(apiEnvironment.TABLE_NAME);
export const usagePlan = new UsagePlanKeys(apiEnvironment.USAGE_PLAN_ID);
