import { CfnOutput, Duration, Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { ArtilleryFargateRole } from '../constructs/artillery-fargate-role.js';
import { LoadGeneratorAccess } from '../constructs/load-generator-access.js';
import { LoadTestResultsBucket } from '../constructs/load-test-results-bucket.js';
import { SERVICE_SUBNETS } from './network-stack.js';

export interface LoadTestStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly albSecurityGroup: ec2.ISecurityGroup;
  /** 443 when the stage serves HTTPS, else 80. */
  readonly listenerPort: number;
  /** @default - the account may assume the role */
  readonly trustedRoleArns?: readonly string[];
  /** Days reports stay in the results bucket. @default 90 */
  readonly resultsRetentionDays?: number;
}

/**
 * What `artillery run-fargate` needs to load-test a stage from inside its VPC: the
 * generators' security group (admitted by the load balancer), the role with Artillery's
 * documented permissions, and a bucket for results and reports. Optional and stateless:
 * deployed for a test (`-c loadTest=true`) and destroyed after it.
 */
export class LoadTestStack extends Stack {
  readonly access: LoadGeneratorAccess;
  readonly role: ArtilleryFargateRole;
  readonly results: LoadTestResultsBucket;

  constructor(scope: Construct, id: string, props: LoadTestStackProps) {
    super(scope, id, props);
    this.access = new LoadGeneratorAccess(this, 'Generators', {
      vpc: props.vpc,
      albSecurityGroup: props.albSecurityGroup,
      listenerPort: props.listenerPort,
    });
    this.role = new ArtilleryFargateRole(this, 'ArtilleryRole', { trustedRoleArns: props.trustedRoleArns });
    this.results = new LoadTestResultsBucket(this, 'Results', {
      expiration: Duration.days(props.resultsRetentionDays ?? 90),
    });
    this.results.bucket.grantReadWrite(this.role.role);
    const grant = this.role.role.node.tryFindChild('DefaultPolicy');
    for (const wildcard of [
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      `Resource::<${this.getLogicalId(this.results.bucket.node.defaultChild as CfnElement)}.Arn>/*`,
    ]) {
      if (grant) {
        Validations.of(grant).acknowledge({
          id: `AwsSolutions-IAM5[${wildcard}]`,
          reason: "grantReadWrite on the results bucket: any report object in this stack's own bucket, nothing else.",
        });
      }
    }

    const subnets = props.vpc.selectSubnets(SERVICE_SUBNETS).subnetIds;
    new CfnOutput(this, 'RoleArn', { value: this.role.role.roleArn });
    new CfnOutput(this, 'SecurityGroupId', { value: this.access.securityGroup.securityGroupId });
    new CfnOutput(this, 'SubnetIds', { value: subnets.join(',') });
    new CfnOutput(this, 'ResultsBucket', { value: this.results.bucket.bucketName });
    new CfnOutput(this, 'RunFargateArguments', {
      description: 'Add to artillery run-fargate (with --region, --count and the scenario file)',
      value: `--subnet-ids ${subnets.join(',')} --security-group-ids ${this.access.securityGroup.securityGroupId}`,
    });
  }
}
