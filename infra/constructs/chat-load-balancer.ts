import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AccessLogBucket } from './access-log-bucket.js';

export interface ChatLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** Public subnets for the load balancer. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** Its security group; ingress and egress rules are managed by the owner of the group. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Where access logs go. */
  readonly accessLogs: AccessLogBucket;
  /**
   * ACM certificate: HTTPS on 443 and a redirect on 80. Without one the load balancer serves
   * plain HTTP on 80 (dev only; stage validation enforces that).
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** Port the containers listen on. @default 8080 */
  readonly targetPort?: number;
  /**
   * Longer than the server's WebSocket ping interval (~25 s) and STOMP heart-beats (10 s)
   * with room to spare, so idle but healthy sockets are never cut by the load balancer.
   * @default Duration.seconds(120)
   */
  readonly idleTimeout?: Duration;
  /**
   * How long a deregistering task keeps its open connections. ECS sends SIGTERM only after
   * this, so it must fit a server drain that starts at deregistration (SHUTDOWN_DRAIN_MS)
   * with margin; the stage settings check that.
   * @default Duration.seconds(110)
   */
  readonly deregistrationDelay?: Duration;
  /**
   * Cookie stickiness: a client that lost its socket (a network blip, a phone switching cells)
   * and reconnects within this time returns to the task that has its session warm. Short on
   * purpose: a client reconnecting later, after a scale-out, is balanced afresh instead of being
   * sent back to the busy task it was on, so new tasks fill up within minutes. Clients retry
   * within seconds (the drain's hints are 0.5–5 s), so 2 minutes covers the reconnects that matter.
   * @default Duration.minutes(2)
   */
  readonly stickiness?: Duration;
  /**
   * A new task gets a linearly rising share of new connections over this time (ALB slow
   * start), so a scale-out is not answered by every reconnecting client landing on the newest
   * task at once while its caches are cold. 30 s–15 min. @default Duration.seconds(60)
   */
  readonly slowStart?: Duration;
  /**
   * Paths answered 404 by the public listener before they reach a task: the ops routes. The
   * tasks also serve them only on their ops port, which the load balancer never targets.
   * @default OPS_PATH_PATTERNS
   */
  readonly blockedPathPatterns?: readonly string[];
  /** Health check interval. @default Duration.seconds(15) */
  readonly healthCheckInterval?: Duration;
  /** Liveness path; never checks the databases, so a store outage does not empty the fleet. @default '/healthz' */
  readonly healthCheckPath?: string;
}

/** ALB path patterns of the ops routes (/metrics, /readyz, /docs, /docs-json, /docs/...). */
export const OPS_PATH_PATTERNS = ['/metrics*', '/readyz*', '/docs*'] as const;

/**
 * Internet-facing ALB tuned for long-lived WebSocket connections, and the target group
 * the chat service registers in.
 */
export class ChatLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** `https` when a certificate is configured, else `http`. */
  readonly scheme: 'http' | 'https';
  /** The listener that forwards to the tasks (HTTPS, or HTTP without a certificate). */
  readonly servingListener: elbv2.ApplicationListener;

  constructor(scope: Construct, id: string, props: ChatLoadBalancerProps) {
    super(scope, id);

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      internetFacing: true,
      securityGroup: props.securityGroup,
      idleTimeout: props.idleTimeout ?? Duration.seconds(120),
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? false,
    });
    props.accessLogs.enableFor(this.loadBalancer, 'alb');

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      port: props.targetPort ?? 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      // WebSocket upgrades are HTTP/1.1; HTTP/2 or gRPC target groups cannot carry them.
      protocolVersion: elbv2.ApplicationProtocolVersion.HTTP1,
      deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(110),
      stickinessCookieDuration: props.stickiness ?? Duration.minutes(2),
      slowStart: props.slowStart ?? Duration.seconds(60),
      healthCheck: {
        path: props.healthCheckPath ?? '/healthz',
        healthyHttpCodes: '200',
        interval: props.healthCheckInterval ?? Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    // `open: false` everywhere: the security group's rules live with the group (NetworkStack).
    if (props.certificateArn) {
      this.scheme = 'https';
      this.servingListener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
      this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
        open: false,
      });
    } else {
      this.scheme = 'http';
      this.servingListener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
    }
    this.servingListener.addAction('OpsPathsNotFound', {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([...(props.blockedPathPatterns ?? OPS_PATH_PATTERNS)])],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Not found' } }),
      }),
    });
  }

  /**
   * Lets `grantee` read the health of the targets, which is how a task notices its own
   * deregistration (state `draining`) before ECS sends SIGTERM.
   * `elasticloadbalancing:DescribeTargetHealth` has no resource-level permissions, so the
   * grant is on `*`.
   */
  grantReadTargetHealth(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticloadbalancing:DescribeTargetHealth'],
      resourceArns: ['*'],
    });
  }
}
