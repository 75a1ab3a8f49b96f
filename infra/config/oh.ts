import { seedFramework } from './default-framework';
import type { StateConfigInput } from './schema';

export default {
  stateCode: 'OH',
  name: 'Ohio',
  timezone: 'America/New_York',
  aws: { account: '123456789012', region: 'us-east-2' },
  sesSender: 'vision-progress@education.ohio.example',
  publicBaseUrl: 'https://vision-progress.education.ohio.example',
  minimumN: 10,
  digestSchedule: 'cron(0 7 ? * MON *)',
  logRetentionDays: 365,
  alarmEmail: 'vision-progress-ops@education.ohio.example',
  defaultFramework: seedFramework,
} satisfies StateConfigInput;
