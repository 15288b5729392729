/**
 * Handlers of the `Custom::DatabaseMigration` resource, run by the CDK Provider framework
 * (`aws-cdk-lib/custom-resources`) as two Lambda functions built from this one file:
 *
 * - `onEvent` starts the migration task (ECS RunTask) on Create and Update and returns at once;
 * - `isComplete` is then polled by the framework's waiter until the task has STOPPED, and
 *   fails the deployment unless the migration container exited with code 0.
 *
 * Delete does nothing: a migration cannot be undone by deleting the resource.
 *
 * Compiled by the repository's `tsc` as CommonJS (see `package.json` next to this file) to
 * `dist/infra/lambda/migration-runner/handler.js`, which is the whole Lambda asset. It uses
 * only Node.js and the AWS SDK v3 the Lambda runtime ships, so it needs no bundling and must
 * not import anything else from this repository.
 */
import {
  DescribeTasksCommand,
  ECSClient,
  RunTaskCommand,
  type Container,
  type Failure,
  type Task,
} from '@aws-sdk/client-ecs';

/** Properties of the custom resource, as set by the `MigrationRunner` construct. */
export interface MigrationProperties {
  /** Cluster ARN. */
  readonly Cluster: string;
  /** ARN of the migration task definition revision to run. */
  readonly TaskDefinition: string;
  readonly Subnets: readonly string[];
  readonly SecurityGroups: readonly string[];
  /** The container whose exit code decides success. */
  readonly ContainerName: string;
  /** Where the container logs go (awslogs driver), to point at them in errors. */
  readonly LogGroupName: string;
  readonly LogStreamPrefix: string;
  /** Changes whenever the migrations should run again (the image asset hash). */
  readonly RunId: string;
}

/** The parts of a CloudFormation custom resource event these handlers use. */
export interface MigrationEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
}

export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly TaskArn: string };
  /** When RunTask returned, ISO 8601; the Provider framework passes it on to `isComplete`. */
  readonly StartedAt?: string;
}

/** What `isComplete` receives: the event merged with the result of `onEvent`. */
export type IsCompleteEvent = MigrationEvent & Partial<OnEventResult>;

export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/**
 * Right after RunTask, DescribeTasks may not list the task yet (ECS is eventually
 * consistent). A task still missing after this long is reported as lost.
 */
export const MISSING_TASK_GRACE_MS = 60_000;

const ecs = new ECSClient({});

export async function onEvent(event: MigrationEvent): Promise<OnEventResult> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? event.RequestId };

  const props = readProperties(event.ResourceProperties);
  const response = await ecs.send(
    new RunTaskCommand({
      cluster: props.Cluster,
      taskDefinition: props.TaskDefinition,
      launchType: 'FARGATE',
      count: 1,
      startedBy: 'cdk-migration',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: [...props.Subnets],
          securityGroups: [...props.SecurityGroups],
          assignPublicIp: 'DISABLED',
        },
      },
      // CloudFormation may deliver the same request twice; the same token never starts a second task.
      clientToken: event.RequestId,
    }),
  );
  const taskArn = response.tasks?.[0]?.taskArn;
  if (!taskArn || (response.failures ?? []).length > 0) {
    throw new Error(`migration task could not be placed: ${describeFailures(response.failures)}`);
  }
  console.log(JSON.stringify({ message: 'migration task started', taskArn, runId: props.RunId }));
  return {
    // A new id per image makes every deploy with new code an update of this resource.
    PhysicalResourceId: `migration-${props.RunId}`,
    Data: { TaskArn: taskArn },
    StartedAt: new Date().toISOString(),
  };
}

export async function isComplete(event: IsCompleteEvent): Promise<IsCompleteResult> {
  if (event.RequestType === 'Delete') return { IsComplete: true };

  const props = readProperties(event.ResourceProperties);
  const taskArn = event.Data?.TaskArn;
  if (!taskArn) throw new Error('isComplete: onEvent returned no TaskArn');

  const response = await ecs.send(new DescribeTasksCommand({ cluster: props.Cluster, tasks: [taskArn] }));
  const task = response.tasks?.find((t) => t.taskArn === taskArn);
  if (!task) {
    const startedAt = event.StartedAt ? Date.parse(event.StartedAt) : Number.NaN;
    if (Number.isFinite(startedAt) && Date.now() - startedAt < MISSING_TASK_GRACE_MS) return { IsComplete: false };
    throw new Error(`migration task ${taskArn} not found: ${describeFailures(response.failures)}`);
  }
  if (task.lastStatus !== 'STOPPED') return { IsComplete: false };

  const container = task.containers?.find((c) => c.name === props.ContainerName);
  if (container?.exitCode === 0) {
    console.log(JSON.stringify({ message: 'migration task succeeded', taskArn }));
    return { IsComplete: true, Data: { TaskArn: taskArn, ExitCode: '0' } };
  }
  throw new Error(describeStoppedTask(task, container, props));
}

/** The error for a migration task that stopped without its container exiting with 0. */
function describeStoppedTask(task: Task, container: Container | undefined, props: MigrationProperties): string {
  const taskId = task.taskArn!.split('/').pop()!;
  const outcome =
    container?.exitCode === undefined
      ? `the ${props.ContainerName} container did not run to completion`
      : `the ${props.ContainerName} container exited with code ${container.exitCode}`;
  const reasons = [
    container?.reason ? `container: ${container.reason}` : undefined,
    task.stoppedReason ? `task: ${[task.stopCode, task.stoppedReason].filter(Boolean).join(': ')}` : undefined,
  ].filter((r) => r !== undefined);
  return [
    `migration task ${taskId} failed: ${outcome}`,
    `reason: ${reasons.length > 0 ? reasons.join('; ') : 'none reported'}`,
    `logs: log group ${props.LogGroupName}, stream ${props.LogStreamPrefix}/${props.ContainerName}/${taskId}`,
  ].join('. ');
}

function describeFailures(failures: readonly Failure[] | undefined): string {
  if (!failures || failures.length === 0) return 'no task and no failure reported';
  return failures.map((f) => [f.arn, f.reason, f.detail].filter(Boolean).join(' ')).join('; ');
}

function readProperties(raw: Record<string, unknown>): MigrationProperties {
  const text = (key: keyof MigrationProperties): string => {
    const value = raw[key];
    if (typeof value !== 'string' || value === '')
      throw new Error(`resource property ${key} must be a non-empty string`);
    return value;
  };
  const list = (key: keyof MigrationProperties): string[] => {
    const value = raw[key];
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
      throw new Error(`resource property ${key} must be a non-empty list of strings`);
    }
    return value as string[];
  };
  return {
    Cluster: text('Cluster'),
    TaskDefinition: text('TaskDefinition'),
    Subnets: list('Subnets'),
    SecurityGroups: list('SecurityGroups'),
    ContainerName: text('ContainerName'),
    LogGroupName: text('LogGroupName'),
    LogStreamPrefix: text('LogStreamPrefix'),
    RunId: text('RunId'),
  };
}
