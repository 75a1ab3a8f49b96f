/**
 * Synthesizes state stacks for the infra tests. Bundling is skipped (placeholder assets) except where a test
 * asks for it: the templates are the same either way, and esbuild runs in its own test.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app';
import { stackName, type VisionProgressStack } from '../../infra/stack';

export function synthState(stateCode: string, context: Record<string, string> = {}): Template {
  const app = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], state: stateCode, ...context } }));
  const stack = app.node.findChild(stackName(stateCode)) as VisionProgressStack;
  return Template.fromStack(stack);
}

/** Resources of a type, by logical id. */
export function resourcesOf(
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, any> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any> }>;
}

/** The logical id a `{ "Fn::GetAtt": [id, attr] }` or `{ Ref: id }` points at. */
export function referencedId(value: unknown): string | undefined {
  const v = value as { 'Fn::GetAtt'?: [string, string]; Ref?: string };
  return v?.['Fn::GetAtt']?.[0] ?? v?.Ref;
}

/** The logical id of the stack's operator role (infra/constructs/operator-role.ts). */
export function operatorRoleId(template: Template): string {
  const ids = Object.keys(resourcesOf(template, 'AWS::IAM::Role')).filter((id) =>
    id.startsWith('OperatorRole'),
  );
  if (ids.length !== 1) throw new Error(`expected one operator role, found ${ids.length}`);
  return ids[0] as string;
}
