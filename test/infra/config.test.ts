import { describe, expect, it } from 'vitest';
import { loadStateConfig, loadStateConfigs } from '../../infra/config/index';
import oh from '../../infra/config/oh';
import { parseStateConfig, StateConfigError } from '../../infra/config/schema';

const problemsOf = (input: unknown) => {
  try {
    parseStateConfig(input, 'test.ts');
  } catch (error) {
    if (error instanceof StateConfigError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  return [];
};

describe('state configs', () => {
  it('ships Ohio, Maine and the local state, all valid', () => {
    expect(loadStateConfigs().map((c) => c.stateCode)).toEqual(['OH', 'ME', 'XX']);
  });

  it('fills the defaults of the contract', () => {
    const { minimumN, digestSchedule, logRetentionDays, ...rest } = oh;
    void [minimumN, digestSchedule, logRetentionDays];
    expect(parseStateConfig(rest, 'test.ts')).toMatchObject({
      minimumN: 10,
      digestSchedule: 'cron(0 7 ? * MON *)',
      logRetentionDays: 365,
    });
  });

  it('selects one state by code, whatever its case, and names the known ones otherwise', () => {
    expect(loadStateConfig('me').name).toBe('Maine');
    expect(() => loadStateConfig('ZZ')).toThrow(/known states are OH, ME, XX/);
  });

  it.each([
    ['stateCode', { stateCode: 'Ohio' }],
    ['timezone', { timezone: 'Eastern Time' }],
    ['aws.account', { aws: { account: '1234', region: 'us-east-2' } }],
    ['aws.region', { aws: { region: 'ohio-1' } }],
    ['sesSender', { sesSender: 'not an address' }],
    ['publicBaseUrl', { publicBaseUrl: 'http://insecure.example' }],
    ['minimumN', { minimumN: 0 }],
    ['digestSchedule', { digestSchedule: 'every monday' }],
    ['logRetentionDays', { logRetentionDays: 7 }],
    [
      'defaultFramework.proficiency.masteryThreshold',
      { defaultFramework: { ...oh.defaultFramework, proficiency: { levels: 4, masteryThreshold: 5 } } },
    ],
    [
      'defaultFramework.conditions.1',
      {
        defaultFramework: {
          ...oh.defaultFramework,
          conditions: [oh.defaultFramework.conditions[0], oh.defaultFramework.conditions[0]],
        },
      },
    ],
    [
      'defaultFramework.masteryMethod.weight',
      {
        defaultFramework: {
          ...oh.defaultFramework,
          masteryMethod: { method: 'decaying_average', weight: 100 },
        },
      },
    ],
    ['alarmTopicArn', { alarmTopicArn: 'arn:aws:sqs:us-east-2:123456789012:vision-progress-alarms' }],
    ['alarmTopicArn', { alarmTopicArn: 'arn:aws:sns:us-east-2:123456789012:oncall.fifo' }],
    ['unknownSetting', { unknownSetting: true }],
  ])('rejects a bad %s, naming the field', (path, change) => {
    expect(problemsOf({ ...oh, ...change })).toContain(path === 'unknownSetting' ? '(root)' : path);
  });

  it('takes an on-call topic for the alarms in the stack region, of this account or another', () => {
    for (const alarmTopicArn of [
      'arn:aws:sns:us-east-2:123456789012:ohio-oncall',
      'arn:aws:sns:us-east-2:999999999999:agency-pagerduty',
    ]) {
      expect(parseStateConfig({ ...oh, alarmTopicArn }, 'test.ts').alarmTopicArn).toBe(alarmTopicArn);
    }
    expect(loadStateConfig('ME').alarmTopicArn).toMatch(/^arn:aws:sns:us-east-1:/);
  });

  it("refuses an on-call topic of another region or partition than the stack's, saying which", () => {
    expect(() =>
      parseStateConfig({ ...oh, alarmTopicArn: 'arn:aws:sns:us-west-2:123456789012:oncall' }, 'oh.ts'),
    ).toThrow(/alarmTopicArn: must be a topic in the stack's region us-east-2/);
    expect(() =>
      parseStateConfig(
        {
          ...oh,
          aws: { region: 'us-gov-west-1' },
          alarmTopicArn: 'arn:aws:sns:us-gov-west-1:123456789012:oncall',
        },
        'oh.ts',
      ),
    ).toThrow(/alarmTopicArn: must name the partition of us-gov-west-1, aws-us-gov/);
  });

  it('lists every bad field at once, with the file in the message', () => {
    expect(() => parseStateConfig({ ...oh, stateCode: 'x', minimumN: -1 }, 'infra/config/oh.ts')).toThrow(
      /invalid state config infra\/config\/oh.ts:\n {2}- stateCode: .*\n {2}- minimumN: /,
    );
  });
});
