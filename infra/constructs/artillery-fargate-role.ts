import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ArtilleryFargateRoleProps {
  /**
   * Roles allowed to assume this one (a CI or pipeline role, an operator's SSO role).
   * @default - the account: any principal whose own policy allows sts:AssumeRole on it
   */
  readonly trustedRoleArns?: readonly string[];
}

/** Names Artillery gives the resources it creates for `run-fargate` (fixed by Artillery). */
const ARTILLERY = {
  workerRole: 'artilleryio-ecs-worker-role',
  workerPolicy: 'artilleryio-ecs-worker-policy',
  bucketPrefix: 'artilleryio-test-data-',
  queuePrefix: 'artilleryio',
  logGroup: 'artilleryio-log-group',
  parameterPath: 'artilleryio',
  secretPath: 'artilleryio',
} as const;

/**
 * The role to run `artillery run-fargate` with: exactly the permissions Artillery documents
 * for its CLI (its IAM CloudFormation template for Fargate), scoped to the resources Artillery
 * creates under its fixed `artilleryio*` names. Artillery creates its ECS cluster, worker role,
 * SQS queue and test-data bucket itself on the first run.
 */
export class ArtilleryFargateRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ArtilleryFargateRoleProps = {}) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    const arn = (service: string, resource: string, region = '*') =>
      `arn:${partition}:${service}:${region}:${account}:${resource}`;
    const iamArn = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;

    const trusted = props.trustedRoleArns ?? [];
    this.role = new iam.Role(this, 'Resource', {
      description: 'Runs artillery run-fargate load tests (permissions as documented by Artillery)',
      assumedBy:
        trusted.length > 0
          ? new iam.CompositePrincipal(...trusted.map((roleArn) => new iam.ArnPrincipal(roleArn)))
          : new iam.AccountRootPrincipal(),
    });

    const statements: iam.PolicyStatementProps[] = [
      {
        sid: 'WorkerRole',
        actions: ['iam:CreateRole', 'iam:GetRole', 'iam:AttachRolePolicy', 'iam:PassRole'],
        resources: [iamArn(`role/${ARTILLERY.workerRole}`)],
      },
      { sid: 'WorkerPolicy', actions: ['iam:CreatePolicy'], resources: [iamArn(`policy/${ARTILLERY.workerPolicy}`)] },
      {
        sid: 'EcsServiceLinkedRole',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [`arn:${partition}:iam::*:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS*`],
        conditions: { StringLike: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } },
      },
      { sid: 'Queues', actions: ['sqs:*'], resources: [arn('sqs', `${ARTILLERY.queuePrefix}*`)] },
      { sid: 'ListQueues', actions: ['sqs:ListQueues'], resources: ['*'] },
      {
        sid: 'EcsGeneral',
        actions: [
          'ecs:ListClusters',
          'ecs:CreateCluster',
          'ecs:RegisterTaskDefinition',
          'ecs:DeregisterTaskDefinition',
        ],
        resources: ['*'],
      },
      {
        sid: 'EcsClusters',
        actions: ['ecs:DescribeClusters', 'ecs:ListContainerInstances'],
        resources: [arn('ecs', 'cluster/*')],
      },
      {
        sid: 'EcsTasksInClusters',
        actions: [
          'ecs:SubmitTaskStateChange',
          'ecs:DescribeTasks',
          'ecs:ListTasks',
          'ecs:ListTaskDefinitions',
          'ecs:DescribeTaskDefinition',
          'ecs:StartTask',
          'ecs:StopTask',
          'ecs:RunTask',
        ],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': arn('ecs', 'cluster/*') } },
      },
      {
        sid: 'EcsTagOnRunTask',
        actions: ['ecs:TagResource'],
        resources: [arn('ecs', 'task/*')],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      },
      {
        sid: 'TestDataBucket',
        actions: [
          's3:CreateBucket',
          's3:DeleteObject',
          's3:GetObject',
          's3:GetObjectAcl',
          's3:GetObjectTagging',
          's3:GetObjectVersion',
          's3:PutObject',
          's3:PutObjectAcl',
          's3:ListBucket',
          's3:GetBucketLocation',
          's3:GetBucketLogging',
          's3:GetBucketPolicy',
          's3:GetBucketTagging',
          's3:PutBucketPolicy',
          's3:PutBucketTagging',
          's3:PutMetricsConfiguration',
          's3:GetLifecycleConfiguration',
          's3:PutLifecycleConfiguration',
        ],
        resources: [
          `arn:${partition}:s3:::${ARTILLERY.bucketPrefix}*`,
          `arn:${partition}:s3:::${ARTILLERY.bucketPrefix}*/*`,
        ],
      },
      {
        sid: 'WorkerLogs',
        actions: ['logs:PutRetentionPolicy'],
        resources: [arn('logs', `log-group:${ARTILLERY.logGroup}/*`)],
      },
      {
        sid: 'Secrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [arn('secretsmanager', `secret:${ARTILLERY.secretPath}/*`)],
      },
      {
        sid: 'Parameters',
        actions: [
          'ssm:PutParameter',
          'ssm:GetParameter',
          'ssm:GetParameters',
          'ssm:DeleteParameter',
          'ssm:DescribeParameters',
          'ssm:GetParametersByPath',
        ],
        resources: [arn('ssm', `parameter/${ARTILLERY.parameterPath}/*`)],
      },
      {
        sid: 'FindSubnets',
        actions: ['ec2:DescribeRouteTables', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets'],
        resources: ['*'],
      },
    ];
    const policy = new iam.Policy(this, 'Policy', {
      statements: statements.map((statement) => new iam.PolicyStatement(statement)),
    });
    this.role.attachInlinePolicy(policy);

    // cdk-nag reports each wildcard on its own; each is part of Artillery's documented set.
    const wildcards = [
      'Action::sqs:*',
      'Resource::*',
      'Resource::arn:<AWS::Partition>:iam::*:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS*',
      'Resource::arn:<AWS::Partition>:sqs:*:<AWS::AccountId>:artilleryio*',
      'Resource::arn:<AWS::Partition>:ecs:*:<AWS::AccountId>:cluster/*',
      'Resource::arn:<AWS::Partition>:ecs:*:<AWS::AccountId>:task/*',
      `Resource::arn:<AWS::Partition>:s3:::${ARTILLERY.bucketPrefix}*`,
      `Resource::arn:<AWS::Partition>:s3:::${ARTILLERY.bucketPrefix}*/*`,
      `Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:${ARTILLERY.logGroup}/*`,
      `Resource::arn:<AWS::Partition>:secretsmanager:*:<AWS::AccountId>:secret:${ARTILLERY.secretPath}/*`,
      `Resource::arn:<AWS::Partition>:ssm:*:<AWS::AccountId>:parameter/${ARTILLERY.parameterPath}/*`,
    ];
    for (const wildcard of wildcards) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[${wildcard}]`,
        reason:
          "Artillery's documented run-fargate permissions: ECS list/create/register, SQS ListQueues and EC2 Describe* have no resource-level permissions; the rest is scoped to the artilleryio* names Artillery gives what it creates (its bucket, queues and tasks carry per-run suffixes), in any region the test runs from.",
      });
    }
  }
}
