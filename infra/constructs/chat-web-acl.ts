import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ChatWebAclProps {
  /** ARN of the load balancer to protect. */
  readonly loadBalancerArn: string;
  /** Requests per client IP per 5 minutes to /auth/* (login and register hash passwords). */
  readonly authRequestsPer5Min: number;
  /** WebSocket upgrade requests (GET /ws) per client IP per 5 minutes. */
  readonly upgradeRequestsPer5Min: number;
  /** CloudWatch metric name prefix for the ACL and its rules. */
  readonly metricPrefix: string;
  /** Path the STOMP WebSocket is served on. @default '/ws' */
  readonly webSocketPath?: string;
}

/**
 * AWS WAF in front of the load balancer: the AWS managed common rule set, and per-IP rate
 * limits on the two expensive entry points. WAF sees the HTTP requests only (REST calls and the
 * WebSocket upgrade), never the STOMP frames inside an open socket, which the server limits itself.
 */
export class ChatWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ChatWebAclProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}-${name}`,
      sampledRequestsEnabled: true,
    });
    const pathStartsWith = (path: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: path,
        // Express routes case-insensitively: /AUTH/login reaches the same handler.
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    const rateLimit = (
      name: string,
      priority: number,
      limit: number,
      scope: wafv2.CfnWebACL.StatementProperty,
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: { customResponse: { responseCode: 429 } } },
      statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit, scopeDownStatement: scope } },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('acl'),
      rules: [
        rateLimit('AuthRateLimit', 0, props.authRequestsPer5Min, pathStartsWith('/auth/')),
        rateLimit(
          'WebSocketUpgradeRateLimit',
          1,
          props.upgradeRequestsPer5Min,
          pathStartsWith(props.webSocketPath ?? '/ws'),
        ),
        {
          name: 'AwsCommonRuleSet',
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // Its body-size rule blocks bodies over 8 KB; the API accepts up to 16 KB
              // (HTTP_JSON_BODY_LIMIT_BYTES) and rejects larger ones itself with a clear 413.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility('common'),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
