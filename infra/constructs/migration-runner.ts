import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { findRepoRoot } from '../config/repo-root.js';
import type { MigrationProperties } from '../lambda/migration-runner/handler.js';
import { wildcardResourceFinding } from './nag-findings.js';

/**
 * Where `tsc` puts the compiled handler (`npm run build`). Resolved from the repository root,
 * so it is the same whether this file runs from `dist/` (cdk CLI) or from the sources (jest).
 */
export const MIGRATION_HANDLER_DIRECTORY = join(findRepoRoot(), 'dist', 'infra', 'lambda', 'migration-runner');
/** The one file of the Lambda asset. */
export const MIGRATION_HANDLER_FILE = 'handler.js';

export interface MigrationRunnerProps {
  readonly cluster: ecs.ICluster;
  /** The one-off task that applies the migrations and exits. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The container whose exit code decides whether the migration succeeded. */
  readonly containerName: string;
  /** Log group and stream prefix of that container, named in the error when it fails. */
  readonly logGroup: logs.ILogGroup;
  readonly logStreamPrefix: string;
  /** Subnets with a route to the data stores (and to ECR / Secrets Manager). */
  readonly subnets: ec2.SubnetSelection;
  /** Security group the data stores admit. */
  readonly securityGroup: ec2.ISecurityGroup;
  /**
   * Changes whenever the migration should run again; the image asset hash, so every
   * deploy that ships new code (and so possibly new migrations) runs them once.
   */
  readonly runId: string;
  /**
   * How long a deploy waits for the migration task to stop (placement, image pull and the
   * migration itself), between 1 minute and 1 hour (the Provider framework's limit). The
   * task is not stopped when this runs out; the deploy fails.
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
  /** Retention of the handlers' own logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Directory holding the compiled handler (`handler.js`) and nothing the asset needs besides.
   * @default MIGRATION_HANDLER_DIRECTORY
   */
  readonly handlerDirectory?: string;
}

/**
 * Runs the migration task once per deploy and makes the deploy wait for it: a custom
 * resource (`Custom::DatabaseMigration`) whose Create and Update start the task and
 * succeed only when it stopped with exit code 0. A failed migration, or a task ECS could
 * not place, fails the deployment (and CloudFormation rolls the stack back).
 *
 * Asynchronous provider (`onEvent` starts the task, `isComplete` polls it) rather than one
 * handler that polls inside its own invocation: a Lambda lives at most 15 minutes, while
 * placement, image pull and a migration over a large table can take longer. The
 * framework's waiter polls for up to `timeout` without keeping a Lambda running, and it owns
 * the CloudFormation response protocol, so a crashing handler fails the resource instead of
 * leaving the stack waiting for an hour.
 *
 * Migrations still have to be backward compatible (expand, deploy, contract): old tasks keep
 * serving while the migration runs, and a rollback does not undo a schema change.
 */
export class MigrationRunner extends Construct {
  readonly resource: CustomResource;
  readonly provider: cr.Provider;
  readonly onEventHandler: lambda.Function;
  readonly isCompleteHandler: lambda.Function;
  /** ARN of the migration task run by the latest deploy. */
  readonly taskArn: string;

  constructor(scope: Construct, id: string, props: MigrationRunnerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { cluster, taskDefinition } = props;
    const timeout = props.timeout ?? Duration.minutes(30);
    if (!timeout.isUnresolved() && (timeout.toSeconds() < 60 || timeout.toSeconds() > 3600)) {
      throw new Error(
        `${this.node.path}: timeout must be between 1 minute and 1 hour (got ${timeout.toHumanString()})`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const code = handlerCode(props.handlerDirectory ?? MIGRATION_HANDLER_DIRECTORY);

    // RunTask on any revision of the migration family (a rollback runs the previous one),
    // only in this cluster, passing only the task's own two roles.
    const taskFamilyArn = stack.formatArn({
      service: 'ecs',
      resource: 'task-definition',
      resourceName: `${taskDefinition.family}:*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const runTask = new iam.PolicyStatement({
      actions: ['ecs:RunTask'],
      resources: [taskFamilyArn],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    });
    const passRoles = [taskDefinition.taskRole.roleArn];
    if (taskDefinition.executionRole) passRoles.push(taskDefinition.executionRole.roleArn);
    const passRole = new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: passRoles,
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
    // Task ids are unknown until RunTask returns: any task of this cluster.
    const clusterTasksArn = stack.formatArn({
      service: 'ecs',
      resource: 'task',
      resourceName: `${cluster.clusterName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const describeTasks = new iam.PolicyStatement({
      actions: ['ecs:DescribeTasks'],
      resources: [clusterTasksArn],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    });

    const handler = (handlerId: string, entry: string, description: string, statements: iam.PolicyStatement[]) => {
      const role = new iam.Role(this, `${handlerId}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description,
      });
      logGroup.grantWrite(role);
      for (const statement of statements) role.addToPrincipalPolicy(statement);
      return new lambda.Function(this, handlerId, {
        description,
        code,
        handler: `handler.${entry}`,
        // Node 24 LTS, the same line as the image (Dockerfile); it ships the AWS SDK v3 the handler uses.
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: Duration.minutes(1),
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
      });
    };
    this.onEventHandler = handler('OnEvent', 'onEvent', 'Starts the database migration task', [runTask, passRole]);
    this.isCompleteHandler = handler('IsComplete', 'isComplete', 'Waits for the database migration task', [
      describeTasks,
    ]);

    // The framework's own functions get roles with log access to this group only, instead of
    // the AWSLambdaBasicExecutionRole managed policy.
    const frameworkRole = (roleId: string) => {
      const role = new iam.Role(this, roleId, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      logGroup.grantWrite(role);
      return role;
    };
    const frameworkRoles = [frameworkRole('FrameworkOnEventRole'), frameworkRole('FrameworkCompleteRole')];
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventHandler,
      isCompleteHandler: this.isCompleteHandler,
      queryInterval: Duration.seconds(15),
      totalTimeout: timeout,
      logGroup,
      frameworkOnEventRole: frameworkRoles[0],
      frameworkCompleteAndTimeoutRole: frameworkRoles[1],
      // Every state transition of the waiter, but without execution data: the input carries
      // CloudFormation's pre-signed response URL, which must not end up in a log.
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: logGroup,
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });

    const properties: MigrationProperties = {
      Cluster: cluster.clusterArn,
      TaskDefinition: taskDefinition.taskDefinitionArn,
      Subnets: cluster.vpc.selectSubnets(props.subnets).subnetIds,
      SecurityGroups: [props.securityGroup.securityGroupId],
      ContainerName: props.containerName,
      LogGroupName: props.logGroup.logGroupName,
      LogStreamPrefix: props.logStreamPrefix,
      RunId: props.runId,
    };
    this.resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::DatabaseMigration',
      serviceToken: this.provider.serviceToken,
      properties: { ...properties },
    });
    this.taskArn = this.resource.getAttString('TaskArn');

    this.acknowledgeFindings(taskFamilyArn, clusterTasksArn, frameworkRoles);
  }

  private acknowledgeFindings(taskFamilyArn: string, clusterTasksArn: string, frameworkRoles: iam.Role[]): void {
    Validations.of(this.onEventHandler.role!).acknowledge({
      id: wildcardResourceFinding(this, taskFamilyArn),
      reason:
        'ecs:RunTask on every revision of the migration task family (a rollback runs the previous revision), only in this cluster (ecs:cluster condition).',
    });
    Validations.of(this.isCompleteHandler.role!).acknowledge({
      id: wildcardResourceFinding(this, clusterTasksArn),
      reason:
        'Task ids are only known once RunTask returns; ecs:DescribeTasks is limited to the tasks of this cluster.',
    });
    // The Provider framework grants invoke on a function and its versions/aliases (`<arn>:*`).
    const invokeReason =
      'The CDK Provider framework invokes its handlers through grantInvoke, which covers the function and its versions (<arn>:*); nothing else.';
    for (const role of frameworkRoles) {
      Validations.of(role).acknowledge(
        ...[this.onEventHandler, this.isCompleteHandler].map((fn) => ({
          id: wildcardResourceFinding(this, `${fn.functionArn}:*`),
          reason: invokeReason,
        })),
      );
    }
    const frameworkFunctions = ['framework-isComplete', 'framework-onTimeout'].map((childId) => {
      const child = this.provider.node.tryFindChild(childId);
      if (!(child instanceof lambda.Function))
        throw new Error(`${this.node.path}: Provider has no '${childId}' function`);
      return child;
    });
    const waiter = this.provider.node.tryFindChild('waiter-state-machine');
    if (!waiter) throw new Error(`${this.node.path}: Provider has no waiter state machine`);
    Validations.of(waiter).acknowledge(
      ...frameworkFunctions.map((fn) => ({
        id: wildcardResourceFinding(this, `${fn.functionArn}:*`),
        reason: invokeReason,
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions delivers its execution log through CloudWatch Logs vended log delivery (logs:CreateLogDelivery and the other *LogDelivery/ResourcePolicy actions), which has no resource-level permissions; this is the policy aws-cdk-lib grants for state machine logging.',
      },
      {
        id: 'AwsSolutions-SF2',
        reason:
          "The Provider framework's waiter state machine offers no X-Ray setting; it makes one Lambda call per poll, and the handlers log each step.",
      },
    );
  }
}

/** The compiled handler as a Lambda asset holding only `handler.js` (no source maps). */
function handlerCode(directory: string): lambda.Code {
  if (!existsSync(join(directory, MIGRATION_HANDLER_FILE))) {
    throw new Error(
      `migration handler not found at ${join(directory, MIGRATION_HANDLER_FILE)}: run \`npm run build\` first (cdk.json runs the compiled app)`,
    );
  }
  return lambda.Code.fromAsset(directory, { exclude: ['*', `!${MIGRATION_HANDLER_FILE}`] });
}
