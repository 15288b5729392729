import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FactName, RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { privateExpiringBucketProps } from './private-bucket.js';

export interface AccessLogBucketProps {
  /** How long log objects are kept. @default Duration.days(90) */
  readonly expiration?: Duration;
  /**
   * Logs outlive a torn-down stack by default so an incident can still be investigated.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * S3 bucket for load balancer access logs: SSE-S3 (the only encryption ELB log delivery
 * supports), TLS-only, no public access, objects expire.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(
      this,
      'Resource',
      privateExpiringBucketProps(props.expiration, props.removalPolicy ?? RemovalPolicy.RETAIN),
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is itself the access-log destination of the load balancer; logging its own access would need yet another log bucket.',
    });
  }

  /**
   * Turns on access logging of `loadBalancer` into this bucket.
   *
   * `ApplicationLoadBalancer.logAccessLogs()` refuses an environment-agnostic stack (it needs
   * the region to pick the ELB log-delivery account), and offline synth must work here, so
   * the bucket policy is written directly: the log-delivery service principal (regions
   * opened since August 2022) plus, where one exists, the regional ELB account, looked up
   * at deploy time from a CloudFormation mapping when the region is not known at synth.
   */
  enableFor(loadBalancer: elbv2.ApplicationLoadBalancer, prefix: string): void {
    const stack = Stack.of(this);
    const objects = this.bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`);

    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ElbLogDeliveryService',
        actions: ['s3:PutObject'],
        principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
        resources: [objects],
      }),
    );
    const elbAccount = Token.isUnresolved(stack.region)
      ? stack.regionalFact(FactName.ELBV2_ACCOUNT)
      : RegionInfo.get(stack.region).elbv2Account;
    if (elbAccount !== undefined) {
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ElbLogDeliveryAccount',
          actions: ['s3:PutObject'],
          principals: [new iam.AccountPrincipal(elbAccount)],
          resources: [objects],
        }),
      );
    }

    loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    loadBalancer.setAttribute('access_logs.s3.bucket', this.bucket.bucketName);
    loadBalancer.setAttribute('access_logs.s3.prefix', prefix);
    // ELB test-writes to the bucket when logging is enabled: the policy must exist first.
    if (this.bucket.policy) loadBalancer.node.addDependency(this.bucket.policy);
  }
}
