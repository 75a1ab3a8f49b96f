import { ArnFormat, Duration, Size, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { problemTitle, problemType } from '../../shared/http/problem';
import { GATEWAY_PROBLEMS, type GatewayProblem } from '../gateway-problems';
import type { AuthorizerSpec, FunctionName, RateLimitSpec, RouteSpec } from '../topology';
import { nagArnParts } from './nag';

export interface ApiProps {
  readonly stateCode: string;
  readonly routes: readonly RouteSpec[];
  /**
   * The function that answers a route. It must have a physical name: the API reaches it by an ARN built from that
   * name rather than by a reference, so that the function may in turn reference the API (its usage plan) without
   * a dependency cycle (function → usage plan → stage → deployment → methods → function).
   */
  readonly functionFor: (name: FunctionName) => lambda.Function;
  /** The key authorizer of every keyed route, and its function. */
  readonly authorizer: { readonly spec: AuthorizerSpec; readonly function: lambda.IFunction };
  /** The usage plan's throttle, which applies to each key on its own. */
  readonly rateLimit: RateLimitSpec;
  readonly logRetention: logs.RetentionDays;
  /**
   * Requests per five minutes from one client address before WAF blocks it.
   * @default 100000 (per five minutes)
   */
  readonly requestsPerAddressLimit?: number;
}

/** The problem+json body API Gateway answers with when no function does (unknown route, throttled stage). */
const gatewayProblem = (status: string) =>
  // messageString is the message already quoted and escaped for JSON, so it goes in bare
  `{"type":"${problemType(Number(status))}","title":"${problemTitle(Number(status))}","status":${Number(status)},` +
  `"detail":$context.error.messageString,"correlationId":"$context.requestId"}`;

/** A refusal of API Gateway's own (no key, denied, throttled), worded as the local front door words it. */
const keyProblem = (problem: GatewayProblem) =>
  JSON.stringify({
    type: problemType(problem.status),
    title: problemTitle(problem.status),
    status: problem.status,
    detail: problem.detail,
    correlationId: '$context.requestId',
  });

/**
 * The header every answer API Gateway makes itself carries, as the api function's answers do
 * (shared/http/middleware.ts): the correlation id its body names, the request id, as a mapping expression.
 */
const CORRELATION_HEADER = { 'x-correlation-id': 'context.requestId' } as const;

/** The refusals of keyed requests, by the gateway response type API Gateway answers them with. */
const KEY_RESPONSES: readonly [apigateway.ResponseType, GatewayProblem][] = [
  [apigateway.ResponseType.UNAUTHORIZED, GATEWAY_PROBLEMS.unauthorized],
  // a usage key that no usage plan of the stage holds: to the caller, a key that is not valid
  [apigateway.ResponseType.INVALID_API_KEY, GATEWAY_PROBLEMS.unauthorized],
  [apigateway.ResponseType.ACCESS_DENIED, GATEWAY_PROBLEMS.accessDenied],
  [apigateway.ResponseType.THROTTLED, GATEWAY_PROBLEMS.throttled],
  [apigateway.ResponseType.QUOTA_EXCEEDED, GATEWAY_PROBLEMS.quotaExceeded],
];

/**
 * The HTTPS front door: a regional REST API (per-key usage plans and a Lambda authorizer are native to REST
 * APIs), one method per topology route, access logs without request bodies, X-Ray, WAF with AWS managed rules
 * and a per-address rate rule. Keyed routes go through the key authorizer, which also names the key's usage key
 * (`apiKeySourceType` AUTHORIZER), and the stage's usage plan throttles each key on its own.
 */
export class Api extends Construct {
  readonly restApi: apigateway.RestApi;
  /** The usage plan of the stage; each issued key's usage key is registered on it. */
  readonly usagePlan: apigateway.UsagePlan;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });

    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `vision-progress-${props.stateCode.toLowerCase()}`,
      description: `Vision Progress API of ${props.stateCode}`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // gzip for clients that ask: lists, the OpenAPI document and the reference page shrink to a third
      minCompressionSize: Size.kibibytes(1),
      // the authorizer names the key's usage key: clients send only their bearer key, never an x-api-key
      apiKeySourceType: apigateway.ApiKeySourceType.AUTHORIZER,
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
    // every answer API Gateway makes itself is problem+json with the status it is sent with; the two defaults
    // catch the rest (their body names the family), the specific ones say their own status
    for (const [type, status] of [
      [apigateway.ResponseType.DEFAULT_4XX, '400'],
      [apigateway.ResponseType.DEFAULT_5XX, '500'],
      [apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404'],
      [apigateway.ResponseType.WAF_FILTERED, '403'],
      [apigateway.ResponseType.REQUEST_TOO_LARGE, '413'],
      [apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, '415'],
      [apigateway.ResponseType.INTEGRATION_FAILURE, '502'],
      [apigateway.ResponseType.INTEGRATION_TIMEOUT, '504'],
    ] as const) {
      const fixed =
        type !== apigateway.ResponseType.DEFAULT_4XX && type !== apigateway.ResponseType.DEFAULT_5XX;
      this.restApi.addGatewayResponse(`Problem${type.responseType}`, {
        type,
        ...(fixed ? { statusCode: status } : {}),
        responseHeaders: { 'content-type': "'application/problem+json'", ...CORRELATION_HEADER },
        templates: { 'application/json': gatewayProblem(status) },
      });
    }
    for (const [type, problem] of KEY_RESPONSES) {
      this.restApi.addGatewayResponse(`Problem${type.responseType}`, {
        type,
        statusCode: String(problem.status),
        responseHeaders: {
          ...Object.fromEntries(
            Object.entries({ 'content-type': 'application/problem+json', ...problem.headers }).map(
              ([name, value]) => [name, `'${value}'`],
            ),
          ),
          ...CORRELATION_HEADER,
        },
        templates: { 'application/json': keyProblem(problem) },
      });
    }

    const authorizer = new apigateway.TokenAuthorizer(this, 'KeyAuthorizer', {
      handler: props.authorizer.function,
      identitySource: apigateway.IdentitySource.header('Authorization'),
      validationRegex: props.authorizer.spec.identityValidationExpression,
      resultsCacheTtl: Duration.seconds(props.authorizer.spec.resultsCacheTtlSeconds),
    });

    const integrations = new Map<FunctionName, apigateway.Integration>();
    const integrationFor = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = this.integrate(props.functionFor(name));
        integrations.set(name, integration);
      }
      return integration;
    };
    for (const route of props.routes) {
      const resource = this.restApi.root.resourceForPath(route.path);
      const keyed = route.auth !== 'none';
      const method = resource.addMethod(route.method, integrationFor(route.function), {
        requestValidator: validator,
        operationName: `${route.method} ${route.path}`,
        ...(keyed
          ? { authorizer, authorizationType: apigateway.AuthorizationType.CUSTOM, apiKeyRequired: true }
          : {}),
      });
      if (keyed) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-COG4',
          reason:
            'The contract authenticates district systems with per-district API keys through the Lambda ' +
            'authorizer, not Cognito users.',
        });
      } else {
        for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
          Validations.of(method).acknowledge({
            id: rule,
            reason: `${route.method} ${route.path} is public by the API contract (no key).`,
          });
        }
      }
    }

    this.usagePlan = this.restApi.addUsagePlan('UsagePlan', {
      name: `vision-progress-${props.stateCode.toLowerCase()}`,
      description: 'Throttles each API key of the state on its own',
      throttle: { rateLimit: props.rateLimit.ratePerSecond, burstLimit: props.rateLimit.burst },
      apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
    });

    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      customResponseBodies: {
        contentTooLarge: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'https://vision-progress.dev/problems/413',
            title: 'Content Too Large',
            status: 413,
            detail: 'The body is over the 256 KiB limit.',
          }),
        },
        tooManyRequests: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'https://vision-progress.dev/problems/429',
            title: 'Too Many Requests',
            status: 429,
            detail: 'Too many requests from this address: retry after the seconds in Retry-After.',
          }),
        },
      },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: `vision-progress-${props.stateCode.toLowerCase()}`,
        sampledRequestsEnabled: false,
      },
      rules: [
        managedRule('AWSManagedRulesCommonRuleSet', 0, ['SizeRestrictions_BODY', 'NoUserAgent_HEADER']),
        managedRule('AWSManagedRulesKnownBadInputsRuleSet', 1, []),
        {
          name: 'PerAddressRate',
          priority: 2,
          // a flood guard far above what keys may send (the usage plan throttles each key): one vendor's address
          // may post for many districts; answered like the usage plan, 429 with Retry-After
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'tooManyRequests',
                responseHeaders: [{ name: 'Retry-After', value: '60' }],
              },
            },
          },
          statement: {
            rateBasedStatement: { limit: props.requestsPerAddressLimit ?? 100_000, aggregateKeyType: 'IP' },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'per-address-rate',
            sampledRequestsEnabled: false,
          },
        },
        {
          // Lambda takes at most 6 MB per request, so a body that large would come back as a failed integration
          // (502) instead of the contract's 413: a Content-Length of seven digits or more (1 MB and up) is
          // refused here; the function answers 413 itself from 256 KiB
          name: 'BodyOverOneMegabyte',
          priority: 3,
          action: {
            block: { customResponse: { responseCode: 413, customResponseBodyKey: 'contentTooLarge' } },
          },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              comparisonOperator: 'GT',
              size: 6,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'body-over-one-megabyte',
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

  /**
   * Lets a role issue and revoke keys' usage keys: create a gateway API key and add it to this usage plan, find a
   * gateway key by name, delete one. Nothing else of API Gateway.
   */
  grantKeyRegistration(role: iam.IRole): void {
    const stack = Stack.of(this);
    const gatewayArn = (path: string) =>
      stack.formatArn({
        service: 'apigateway',
        account: '',
        resource: path,
        arnFormat: ArnFormat.NO_RESOURCE_NAME,
      });
    const apiKeys = gatewayArn('/apikeys');
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['apigateway:POST'],
        resources: [apiKeys, gatewayArn(`/usageplans/${this.usagePlan.usagePlanId}/keys`)],
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['apigateway:GET'], resources: [apiKeys] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['apigateway:DELETE'], resources: [gatewayArn('/apikeys/*')] }),
    );
    const { partition, region } = nagArnParts(this);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:apigateway:${region}::/apikeys/*]`,
      reason:
        'API key ids are generated by API Gateway when a key is issued, so a revocation can only name them by ' +
        'wildcard; the statement allows DELETE on API keys and nothing else.',
    });
  }

  /**
   * A Lambda proxy integration that names the function by an ARN built from its physical name, and the one
   * permission API Gateway needs to invoke it from this API's stage. The permission references the function, so
   * CloudFormation creates it once the function exists; nothing in the API references the function.
   */
  private integrate(fn: lambda.Function): apigateway.Integration {
    const name = (fn.node.defaultChild as lambda.CfnFunction).functionName;
    if (name === undefined || Token.isUnresolved(name)) {
      throw new Error(
        `${fn.node.path}: a function behind a route needs a physical name (AppFunction functionName)`,
      );
    }
    const stack = Stack.of(this);
    const arn = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addPermission(`${this.node.id}Invoke`, {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.restApi.arnForExecuteApi('*', '/*', this.restApi.deploymentStage.stageName),
    });
    return new apigateway.AwsIntegration({
      proxy: true,
      service: 'lambda',
      path: `2015-03-31/functions/${arn}/invocations`,
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
