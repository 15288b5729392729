import { Match, type Template } from 'aws-cdk-lib/assertions';

/** The template has a bucket that is SSE-S3 encrypted, blocks all public access and denies plain HTTP. */
export function expectPrivateTlsOnlyBucket(
  template: Template,
  extraBucketProperties: Record<string, unknown> = {},
): void {
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    ...extraBucketProperties,
  });
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
}
