import { RemovalPolicy, Validations, type Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateExpiringBucketProps } from './private-bucket.js';

export interface LoadTestResultsBucketProps {
  /** How long reports and Artillery results are kept. @default Duration.days(90) */
  readonly expiration?: Duration;
}

/**
 * Where load-test results and reports go (`aws s3 cp --recursive loadtest/results/… s3://…`):
 * SSE-S3, TLS only, no public access, objects expire.
 */
export class LoadTestResultsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LoadTestResultsBucketProps = {}) {
    super(scope, id);
    // Kept when the stack goes (no auto-delete custom resource to run); objects expire anyway.
    this.bucket = new s3.Bucket(this, 'Resource', privateExpiringBucketProps(props.expiration, RemovalPolicy.RETAIN));
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds load-test reports only (no user data); who wrote them is in CloudTrail, so server access logs would add cost without audit value.',
    });
  }
}
