/**
 * The environment contract between the stacks and the functions (infra/environment.ts): the same variables in
 * AWS and locally, only the resource names differ.
 */
import { describe, expect, it } from 'vitest';
import { loadStateConfig } from '../../infra/config/index';
import { functionEnvironment, type ResourceNames } from '../../infra/environment';
import { type FunctionName, topology } from '../../infra/topology';

const config = loadStateConfig('OH');
const base: ResourceNames = {
  tableName: 'table',
  queueUrls: { metrics: 'https://q/metrics', digest: 'https://q/digest', mailEvents: 'https://q/mail' },
};
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-2:123456789012:secret:unsubscribe-AbCdEf';
const aws: ResourceNames = {
  ...base,
  unsubscribeSecret: { arn: SECRET_ARN },
  sesConfigurationSet: 'VisionProgress-OH-digests',
};
const local: ResourceNames = {
  ...base,
  unsubscribeSecret: { file: '/repo/.local/unsubscribe-secret' },
  sesSendRate: 14,
};
const names = Object.keys(topology.functions) as FunctionName[];

describe('functionEnvironment', () => {
  it.each(names)('gives %s the state code and name', (name) => {
    expect(functionEnvironment(name, config, aws)).toMatchObject({ STATE_CODE: 'OH', STATE_NAME: 'Ohio' });
  });

  it('tells the functions that sign or verify unsubscribe tokens where the secret is, and no other', () => {
    for (const name of names) {
      const inAws = functionEnvironment(name, config, aws);
      const locally = functionEnvironment(name, config, local);
      const reads = name === 'api' || name === 'digestSender';
      expect(topology.functions[name].unsubscribeSecret).toBe(reads);
      expect(inAws.UNSUBSCRIBE_SECRET_ARN).toBe(reads ? SECRET_ARN : undefined);
      expect(locally.UNSUBSCRIBE_SECRET_FILE).toBe(reads ? '/repo/.local/unsubscribe-secret' : undefined);
      expect(inAws.UNSUBSCRIBE_SECRET_FILE).toBeUndefined();
      expect(locally.UNSUBSCRIBE_SECRET_ARN).toBeUndefined();
    }
  });

  it('refuses to leave a function that reads the secret without its location', () => {
    expect(() => functionEnvironment('digestSender', config, base)).toThrow(
      /digestSender reads the unsubscribe secret/,
    );
    expect(functionEnvironment('metricsWorker', config, base).UNSUBSCRIBE_SECRET_ARN).toBeUndefined();
  });

  it('gives the sender its configuration set in AWS and a send rate locally, and nobody else either', () => {
    expect(functionEnvironment('digestSender', config, aws)).toMatchObject({
      SES_SENDER: 'vision-progress@education.ohio.example',
      SES_CONFIGURATION_SET: 'VisionProgress-OH-digests',
    });
    expect(functionEnvironment('digestSender', config, aws).SES_SEND_RATE).toBeUndefined();
    expect(functionEnvironment('digestSender', config, local)).toMatchObject({ SES_SEND_RATE: '14' });
    expect(functionEnvironment('digestSender', config, local).SES_CONFIGURATION_SET).toBeUndefined();
    for (const name of names.filter((candidate) => !topology.functions[candidate].sendsEmail)) {
      const variables = {
        ...functionEnvironment(name, config, aws),
        ...functionEnvironment(name, config, local),
      };
      expect(Object.keys(variables).filter((key) => key.startsWith('SES_'))).toEqual([]);
    }
  });

  it('tells the functions that send e-mail how many senders share the send rate, in AWS and locally', () => {
    const senders = String(topology.queues.digest.maxConcurrency);
    for (const name of names) {
      const sends = topology.functions[name].sendsEmail;
      expect(functionEnvironment(name, config, aws).DIGEST_SENDERS).toBe(sends ? senders : undefined);
      expect(functionEnvironment(name, config, local).DIGEST_SENDERS).toBe(sends ? senders : undefined);
    }
    expect(functionEnvironment('digestSender', config, local).DIGEST_SENDERS).toBe(senders);
    // from the topology it is given, like every other number
    const spec = {
      ...topology,
      queues: { ...topology.queues, digest: { ...topology.queues.digest, maxConcurrency: 7 } },
    };
    expect(functionEnvironment('digestSender', config, aws, spec).DIGEST_SENDERS).toBe('7');
  });

  it('names the mail events queue like the others, should a function send to it', () => {
    const spec = {
      ...topology,
      functions: {
        ...topology.functions,
        mailEvents: { ...topology.functions.mailEvents, sendsTo: ['mailEvents'] as const },
      },
    };
    expect(functionEnvironment('mailEvents', config, aws, spec).MAIL_EVENTS_QUEUE_URL).toBe('https://q/mail');
  });
});
