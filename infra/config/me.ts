import { seedFramework } from './default-framework';
import type { StateConfigInput } from './schema';

export default {
  stateCode: 'ME',
  name: 'Maine',
  timezone: 'America/New_York',
  aws: { account: '210987654321', region: 'us-east-1' },
  sesSender: 'digests@vision.maine.example',
  publicBaseUrl: 'https://vision.maine.example',
  minimumN: 11,
  digestSchedule: 'cron(30 6 ? * MON *)',
  logRetentionDays: 731,
  // the department's on-call topic (paging through PagerDuty): every alarm notifies it, when it goes off and is OK
  alarmTopicArn: 'arn:aws:sns:us-east-1:210987654321:maine-doe-oncall',
  defaultFramework: {
    ...seedFramework,
    visionStatement: 'Every Maine learner leaves ready for college, career and civic life.',
    masteryMethod: { method: 'n_mastery', n: 3 },
  },
} satisfies StateConfigInput;
