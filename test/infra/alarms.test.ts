/**
 * Where the alarms of a state stack go (infra/constructs/observability.ts): the stack's own encrypted topic, and the
 * on-call topic the state's config names (`alarmTopicArn`), which hears of each alarm going off and coming back.
 */
import { App, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { loadStateConfig } from '../../infra/config/index';
import { stackName } from '../../infra/stack';
import { resourcesOf, synthState } from './synth';

const alarmsOf = (template: Template) =>
  Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
const ownTopicOf = (template: Template) => {
  const ids = Object.keys(resourcesOf(template, 'AWS::SNS::Topic')).filter((id) => id.includes('AlarmTopic'));
  expect(ids).toHaveLength(1);
  return { Ref: ids[0] };
};

describe('a state with an on-call topic (Maine)', () => {
  const onCall = loadStateConfig('ME').alarmTopicArn;
  const template = synthState('ME');

  it('notifies its own topic and the on-call topic of every alarm, and the on-call topic when it is OK again', () => {
    expect(onCall).toBeDefined();
    const alarms = alarmsOf(template);
    expect(alarms.length).toBeGreaterThan(10);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([ownTopicOf(template), onCall]);
      expect(alarm.OKActions).toEqual([onCall]);
    }
  });

  it('is refused by cdk synth for a region the on-call topic is not in, whose alarms cannot reach it', () => {
    const app = buildApp(
      new App({ context: { 'aws:cdk:bundling-stacks': [], state: 'ME', region: 'us-west-2' } }),
    );
    const stack = app.node.findChild(stackName('ME')) as Stack;

    Annotations.fromStack(stack).hasError('*', Match.stringLikeRegexp("not in the stack's region us-west-2"));
    const elsewhere = Template.fromStack(stack);
    for (const alarm of alarmsOf(elsewhere)) expect(alarm.AlarmActions).toEqual([ownTopicOf(elsewhere)]);
  });
});

describe('a state without one (Ohio)', () => {
  const template = synthState('OH');

  it('notifies its own topic alone, and only when an alarm goes off', () => {
    for (const alarm of alarmsOf(template)) {
      expect(alarm.AlarmActions).toEqual([ownTopicOf(template)]);
      expect(alarm.OKActions).toBeUndefined();
    }
  });
});
