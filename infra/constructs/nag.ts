/**
 * How cdk-nag writes the resources it names in a finding's id, which an acknowledgement must repeat exactly: the
 * ARN as synthesized, with a pseudo parameter that is a token as `<AWS::Region>` and a known value as itself, and a
 * resource's ARN attribute as `<LogicalId.Arn>`.
 */
import { type CfnElement, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The partition, region and account of `scope`'s stack as cdk-nag shows them. */
export function nagArnParts(scope: IConstruct): { partition: string; region: string; account: string } {
  const stack = Stack.of(scope);
  const shown = (value: string, token: string) => (Token.isUnresolved(value) ? `<${token}>` : value);
  return {
    partition: shown(stack.partition, 'AWS::Partition'),
    region: shown(stack.region, 'AWS::Region'),
    account: shown(stack.account, 'AWS::AccountId'),
  };
}

/** The ARN attribute of a construct's CloudFormation resource (a function, a table) as cdk-nag shows it. */
export function nagArnOf(construct: IConstruct): string {
  return `<${Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement)}.Arn>`;
}
