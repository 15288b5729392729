import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DescribeTasksCommand, ECSClient, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecsLib from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { MigrationRunner, type MigrationRunnerProps } from '../../infra/constructs/migration-runner.js';
import type * as Handler from '../../infra/lambda/migration-runner/handler.js';

// The handler is CommonJS (what the Lambda runtime loads from a bare asset), so it is
// required rather than imported; jest still transpiles it from the TypeScript source.
const loadCommonJs = createRequire(import.meta.url);
const { onEvent, isComplete, MISSING_TASK_GRACE_MS } = loadCommonJs(
  '../../infra/lambda/migration-runner/handler.js',
) as typeof Handler;

const ecs = mockClient(ECSClient);

const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/chat-dev';
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/chat-dev/0123456789abcdef0123456789abcdef';
const PROPERTIES = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  Cluster: CLUSTER,
  TaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/ChatdevServiceMigrationTask:7',
  Subnets: ['subnet-a', 'subnet-b'],
  SecurityGroups: ['sg-service'],
  ContainerName: 'app',
  LogGroupName: 'Chat-dev-Service-Logs',
  LogStreamPrefix: 'migrate',
  RunId: 'abc123',
};

function event(requestType: 'Create' | 'Update' | 'Delete', extra: Partial<Handler.IsCompleteEvent> = {}) {
  return {
    RequestType: requestType,
    RequestId: '5d4c3b2a-1111-2222-3333-444455556666',
    ResourceProperties: PROPERTIES,
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'migration-abc123' }),
    ...extra,
  } satisfies Handler.IsCompleteEvent;
}

/** The isComplete event for a task started `ageMs` ago. */
const started = (ageMs = 5_000) =>
  event('Create', {
    PhysicalResourceId: 'migration-abc123',
    Data: { TaskArn: TASK_ARN },
    StartedAt: new Date(Date.now() - ageMs).toISOString(),
  });

const stoppedTask = (task: Partial<Task>): Task => ({ taskArn: TASK_ARN, lastStatus: 'STOPPED', ...task });

beforeAll(() => {
  // The handlers log each step for CloudWatch; keep the test output clean.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(() => {
  jest.restoreAllMocks();
});
beforeEach(() => {
  ecs.reset();
});

describe('migration runner onEvent', () => {
  it.each(['Create', 'Update'] as const)('starts the migration task on %s', async (requestType) => {
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }], failures: [] });

    const result = await onEvent(event(requestType));

    expect(result).toEqual({
      PhysicalResourceId: 'migration-abc123',
      Data: { TaskArn: TASK_ARN },
      StartedAt: expect.any(String),
    });
    const calls = ecs.commandCalls(RunTaskCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      cluster: CLUSTER,
      taskDefinition: PROPERTIES.TaskDefinition,
      launchType: 'FARGATE',
      count: 1,
      startedBy: 'cdk-migration',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-a', 'subnet-b'],
          securityGroups: ['sg-service'],
          assignPublicIp: 'DISABLED',
        },
      },
      // A redelivered request must not start a second task.
      clientToken: '5d4c3b2a-1111-2222-3333-444455556666',
    });
  });

  it('fails when ECS cannot place the task, with its reasons', async () => {
    ecs.on(RunTaskCommand).resolves({
      tasks: [],
      failures: [{ arn: CLUSTER, reason: 'RESOURCE:ENI', detail: 'no free IP addresses in subnet-a' }],
    });

    await expect(onEvent(event('Create'))).rejects.toThrow(
      `migration task could not be placed: ${CLUSTER} RESOURCE:ENI no free IP addresses in subnet-a`,
    );
  });

  it('fails when RunTask returns neither a task nor a failure', async () => {
    ecs.on(RunTaskCommand).resolves({});
    await expect(onEvent(event('Update'))).rejects.toThrow(
      'migration task could not be placed: no task and no failure reported',
    );
  });

  it('lets an ECS API error fail the deployment', async () => {
    ecs.on(RunTaskCommand).rejects(new Error('AccessDeniedException: not authorized to perform ecs:RunTask'));
    await expect(onEvent(event('Create'))).rejects.toThrow('not authorized to perform ecs:RunTask');
  });

  it('does nothing on Delete and keeps the physical id', async () => {
    await expect(onEvent(event('Delete'))).resolves.toEqual({ PhysicalResourceId: 'migration-abc123' });
    expect(ecs.calls()).toHaveLength(0);
  });

  it('rejects malformed resource properties before calling ECS', async () => {
    const broken = { ...event('Create'), ResourceProperties: { ...PROPERTIES, Subnets: [] } };
    await expect(onEvent(broken)).rejects.toThrow('resource property Subnets must be a non-empty list of strings');
    expect(ecs.calls()).toHaveLength(0);
  });
});

describe('migration runner isComplete', () => {
  it.each(['PROVISIONING', 'PENDING', 'RUNNING', 'DEPROVISIONING'])(
    'reports a %s task as not complete',
    async (lastStatus) => {
      ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus }] });

      await expect(isComplete(started())).resolves.toEqual({ IsComplete: false });
      expect(ecs.commandCalls(DescribeTasksCommand)[0]!.args[0].input).toEqual({
        cluster: CLUSTER,
        tasks: [TASK_ARN],
      });
    },
  );

  it('completes when the migration container exited with 0', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        stoppedTask({
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'app', exitCode: 0 }],
        }),
      ],
    });

    await expect(isComplete(started())).resolves.toEqual({
      IsComplete: true,
      Data: { TaskArn: TASK_ARN, ExitCode: '0' },
    });
  });

  it('fails on a non-zero exit code with the reason and the log stream', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        stoppedTask({
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'app', exitCode: 1, reason: 'migration 0007 failed' }],
        }),
      ],
    });

    await expect(isComplete(started())).rejects.toThrow(
      'migration task 0123456789abcdef0123456789abcdef failed: the app container exited with code 1. ' +
        'reason: container: migration 0007 failed; task: EssentialContainerExited: Essential container in task exited. ' +
        'logs: log group Chat-dev-Service-Logs, stream migrate/app/0123456789abcdef0123456789abcdef',
    );
  });

  it('fails when the task could not start (no exit code)', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        stoppedTask({
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
          containers: [{ name: 'app', reason: 'CannotPullContainerError: pull access denied' }],
        }),
      ],
    });

    await expect(isComplete(started())).rejects.toThrow(
      /failed: the app container did not run to completion\. reason: container: CannotPullContainerError: pull access denied; task: TaskFailedToStart: ResourceInitializationError/,
    );
  });

  it('names the log stream even when ECS reports no reason', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [stoppedTask({ containers: [{ name: 'app', exitCode: 137 }] })] });

    await expect(isComplete(started())).rejects.toThrow(
      'exited with code 137. reason: none reported. logs: log group Chat-dev-Service-Logs, stream migrate/app/',
    );
  });

  it('waits for a task ECS does not list yet, right after RunTask', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: TASK_ARN, reason: 'MISSING' }] });
    await expect(isComplete(started(1_000))).resolves.toEqual({ IsComplete: false });
  });

  it('fails for a task that stays missing', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: TASK_ARN, reason: 'MISSING' }] });
    await expect(isComplete(started(MISSING_TASK_GRACE_MS + 1_000))).rejects.toThrow(
      `migration task ${TASK_ARN} not found: ${TASK_ARN} MISSING`,
    );
  });

  it('is complete at once on Delete, without calling ECS', async () => {
    await expect(isComplete(event('Delete'))).resolves.toEqual({ IsComplete: true });
    expect(ecs.calls()).toHaveLength(0);
  });

  it('fails without a task ARN from onEvent', async () => {
    await expect(isComplete(event('Update'))).rejects.toThrow('onEvent returned no TaskArn');
  });
});

describe('MigrationRunner construct', () => {
  function props(stack: Stack): MigrationRunnerProps {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const taskDefinition = new ecsLib.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('app', { image: ecsLib.ContainerImage.fromRegistry('node:22') });
    return {
      cluster: new ecsLib.Cluster(stack, 'Cluster', { vpc }),
      taskDefinition,
      containerName: 'app',
      logGroup: new logs.LogGroup(stack, 'Logs'),
      logStreamPrefix: 'migrate',
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
      runId: 'abc123',
    };
  }

  it('refuses to synthesize without the compiled handler', () => {
    const stack = new Stack();
    expect(
      () => new MigrationRunner(stack, 'Migration', { ...props(stack), handlerDirectory: '/nonexistent' }),
    ).toThrow('migration handler not found at /nonexistent/handler.js: run `npm run build` first');
  });

  it.each([
    ['30 seconds', Duration.seconds(30)],
    ['2 hours', Duration.hours(2)],
  ])('rejects a timeout of %s', (_, timeout) => {
    const stack = new Stack();
    expect(() => new MigrationRunner(stack, 'Migration', { ...props(stack), timeout })).toThrow(
      'Migration: timeout must be between 1 minute and 1 hour',
    );
  });
});
