import { Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { LoadTestSettings } from '../config/load-test-settings.js';
import type { StageSettings } from '../config/stages.js';
import type { ChatStacks } from './chat-stacks.js';
import { LoadTestStack } from './load-test-stack.js';

/** Adds a stage's load-test stack next to its chat stacks (`-c loadTest=true`). */
export function createLoadTestStack(
  scope: Construct,
  settings: StageSettings,
  loadTest: LoadTestSettings,
  chat: Pick<ChatStacks, 'network'>,
): LoadTestStack {
  const { stage } = settings;
  const stack = new LoadTestStack(scope, `Chat-${stage}-LoadTest`, {
    env: chat.network.env,
    description: `Chat backend (${stage}): Artillery run-fargate load generators' security group, role and results bucket`,
    vpc: chat.network.vpc,
    albSecurityGroup: chat.network.albSecurityGroup,
    listenerPort: settings.certificateArn === undefined ? 80 : 443,
    trustedRoleArns: loadTest.trustedRoleArns,
    resultsRetentionDays: loadTest.resultsRetentionDays,
  });
  Tags.of(stack).add('project', 'stomp-chat');
  Tags.of(stack).add('stage', stage);
  return stack;
}
