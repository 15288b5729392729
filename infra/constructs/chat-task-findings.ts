import { Validations } from 'aws-cdk-lib';
import type { ChatTaskDefinition } from './chat-task-definition.js';

/** The cdk-nag findings the chat tasks knowingly carry, each with its reason. */
export function acknowledgeTaskFindings(
  serviceTask: ChatTaskDefinition,
  migrationTask: ChatTaskDefinition,
  enableExecuteCommand: boolean,
): void {
  for (const task of [serviceTask, migrationTask]) {
    const taskDefinition = task.taskDefinition;
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only non-secret configuration (endpoints, ports, flags) is in plain environment variables; every credential is injected from Secrets Manager.',
    });
    if (taskDefinition.executionRole) {
      Validations.of(taskDefinition.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken has no resource-level permissions; image pulls and secret reads are scoped to their ARNs.',
      });
    }
  }
  Validations.of(serviceTask.taskDefinition.taskRole).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: [
      'elasticloadbalancing:DescribeTargetHealth (the task watching its own deregistration) does not support resource-level permissions.',
      ...(enableExecuteCommand
        ? [
            'ECS Exec (dev/staging only) needs the ssmmessages channel actions, which have no resource-level permissions.',
          ]
        : []),
    ].join(' '),
  });
}
