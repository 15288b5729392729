import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of this app is: SSE-S3, TLS only, no public access, owner-enforced
 * objects that expire. Its owner adds the removal policy and any acknowledgement.
 */
export function privateExpiringBucketProps(
  expiration: Duration | undefined,
  removalPolicy: RemovalPolicy,
): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: expiration ?? Duration.days(90) }],
    removalPolicy,
  };
}
