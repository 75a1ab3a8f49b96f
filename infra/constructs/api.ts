import { Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { FunctionName, RouteSpec } from '../topology';

export interface ApiProps {
  readonly stateCode: string;
  readonly routes: readonly RouteSpec[];
  /** The function that answers a route. */
  readonly functionFor: (name: FunctionName) => lambda.IFunction;
  readonly logRetention: logs.RetentionDays;
  /**
   * Requests per five minutes from one client address before WAF blocks it.
   * @default 6000
   */
  readonly requestsPerAddressLimit?: number;
}

/** The problem+json body API Gateway answers with when no function does (unknown route, throttled stage). */
const gatewayProblem = (status: string) =>
  JSON.stringify({
    type: `https://vision-progress.dev/problems/${status}`,
    title: '$context.error.message',
    status: Number(status),
    detail: '$context.error.message',
    correlationId: '$context.requestId',
  });

/**
 * The HTTPS front door: a regional REST API (per-key usage plans and a Lambda authorizer are native to REST
 * APIs), one method per topology route, access logs without request bodies, X-Ray, WAF with AWS managed rules
 * and a per-address rate rule.
 */
export class Api extends Construct {
  readonly restApi: apigateway.RestApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });

    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `vision-progress-${props.stateCode.toLowerCase()}`,
      description: `Vision Progress API of ${props.stateCode}`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // request and response bodies carry learner evidence: never into execution logs
        dataTraceEnabled: false,
        throttlingRateLimit: 500,
        throttlingBurstLimit: 1000,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          user: false,
          ip: true,
          httpMethod: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
        }),
      },
    });
    // the role API Gateway needs to write logs is an account-level setting; its AWS managed policy is the one
    // documented for it and grants nothing beyond CloudWatch Logs
    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'AWS managed policy documented for the account-level API Gateway logging role; logs only.',
      });
    }

    const validator = this.restApi.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Query and path parameters are validated here; bodies are validated by the zod schemas of the contract in ' +
        'the function, which answer with every invalid field in problem+json as the contract requires.',
    });
    for (const [type, status] of [
      [apigateway.ResponseType.DEFAULT_4XX, '400'],
      [apigateway.ResponseType.DEFAULT_5XX, '500'],
      [apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404'],
    ] as const) {
      this.restApi.addGatewayResponse(`Problem${type.responseType}`, {
        type,
        ...(type === apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN ? { statusCode: '404' } : {}),
        responseHeaders: { 'content-type': "'application/problem+json'" },
        templates: { 'application/json': gatewayProblem(status) },
      });
    }

    for (const route of props.routes) {
      const resource = this.restApi.root.resourceForPath(route.path);
      const method = resource.addMethod(
        route.method,
        new apigateway.LambdaIntegration(props.functionFor(route.function), { proxy: true }),
        { requestValidator: validator, operationName: `${route.method} ${route.path}` },
      );
      if (route.auth === 'none') {
        for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
          Validations.of(method).acknowledge({
            id: rule,
            reason: `${route.method} ${route.path} is public by the API contract (no key).`,
          });
        }
      }
    }

    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: `vision-progress-${props.stateCode.toLowerCase()}`,
        sampledRequestsEnabled: false,
      },
      rules: [
        managedRule('AWSManagedRulesCommonRuleSet', 0, ['SizeRestrictions_BODY']),
        managedRule('AWSManagedRulesKnownBadInputsRuleSet', 1, []),
        {
          name: 'PerAddressRate',
          priority: 2,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.requestsPerAddressLimit ?? 6000, aggregateKeyType: 'IP' },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'per-address-rate',
            sampledRequestsEnabled: false,
          },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: webAcl.attrArn,
    });
  }
}

/**
 * An AWS managed rule group. Rules named in `countOnly` are only counted: the common rule set blocks bodies over
 * 8 KB, while the contract accepts batches up to 256 KiB and answers larger ones with its own 413.
 */
function managedRule(
  name: string,
  priority: number,
  countOnly: readonly string[],
): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
      },
    },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: false },
  };
}
