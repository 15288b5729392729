import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface MigrationRunnerProps {
  readonly cluster: ecs.ICluster;
  /** The one-off task that applies the migrations and exits. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** Subnets with a route to the data stores (and to ECR / Secrets Manager). */
  readonly subnets: ec2.SubnetSelection;
  /** Security group the data stores admit. */
  readonly securityGroup: ec2.ISecurityGroup;
  /**
   * Changes whenever the migration should run again; the image asset hash, so every
   * deploy that ships new code (and so possibly new migrations) runs them once.
   */
  readonly runId: string;
  /** Retention of the custom resource handler's own log. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Starts the migration task once per deploy through a CloudFormation custom resource
 * calling `ecs:RunTask` on create and on update.
 *
 * RunTask is asynchronous: the deploy only proves the task was placed (a RunTask that
 * places nothing fails the deploy because the task ARN attribute is then missing), not
 * that the migration succeeded. Migrations therefore have to be backward compatible
 * (expand, deploy, contract). A Lambda-backed provider that waits for the task to stop and
 * fails on a non-zero exit code is the intended successor (needs @aws-sdk/client-ecs).
 */
export class MigrationRunner extends Construct {
  readonly resource: cr.AwsCustomResource;
  /** ARN of the migration task started by the latest deploy. */
  readonly taskArn: string;

  constructor(scope: Construct, id: string, props: MigrationRunnerProps) {
    super(scope, id);
    const taskDefinition = props.taskDefinition;
    const runTask: cr.AwsSdkCall = {
      service: 'ECS',
      action: 'runTask',
      parameters: {
        cluster: props.cluster.clusterArn,
        taskDefinition: taskDefinition.taskDefinitionArn,
        launchType: 'FARGATE',
        count: 1,
        startedBy: 'cdk-migration',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: props.cluster.vpc.selectSubnets(props.subnets).subnetIds,
            securityGroups: [props.securityGroup.securityGroupId],
            assignPublicIp: 'DISABLED',
          },
        },
      },
      // A new physical id per run id makes CloudFormation treat each deploy with a new
      // image as an update of this resource, which is what triggers the call.
      physicalResourceId: cr.PhysicalResourceId.of(`migration-${props.runId}`),
      outputPaths: ['tasks.0.taskArn'],
    };

    const passRoles = [taskDefinition.taskRole.roleArn];
    if (taskDefinition.executionRole) passRoles.push(taskDefinition.executionRole.roleArn);

    this.resource = new cr.AwsCustomResource(this, 'RunTask', {
      resourceType: 'Custom::DatabaseMigration',
      onCreate: runTask,
      onUpdate: runTask,
      // Use the SDK bundled in the Lambda runtime: no npm download during a deploy.
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      logGroup: new logs.LogGroup(this, 'HandlerLogs', {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['ecs:RunTask'],
          resources: [taskDefinition.taskDefinitionArn],
          conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
        }),
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: passRoles,
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
      ]),
    });
    this.taskArn = this.resource.getResponseField('tasks.0.taskArn');
  }
}
