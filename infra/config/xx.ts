import { seedFramework } from './default-framework';
import type { StateConfigInput } from './schema';

/** The local state that `npm start` runs; also synthesizes, so the local settings are validated like any other. */
export default {
  stateCode: 'XX',
  name: 'Local State',
  timezone: 'America/New_York',
  aws: { region: 'us-east-1' },
  sesSender: 'digests@vision-progress.localhost',
  publicBaseUrl: 'https://vision-progress.localhost',
  minimumN: 10,
  digestSchedule: 'cron(0 7 ? * MON *)',
  logRetentionDays: 30,
  defaultFramework: seedFramework,
} satisfies StateConfigInput;
