import { CfnOutput, Stage, type Environment } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageSettings } from '../config/stages.js';
import { createChatStacks, type ChatStacks } from './chat-stacks.js';

export interface ChatStageProps {
  readonly env: Environment;
  readonly settings: StageSettings;
  /** Directory holding the Dockerfile (the repository root). */
  readonly imageDirectory: string;
}

/**
 * One stage of the chat backend as a deployable unit of the pipeline: exactly the stacks
 * `cdk deploy --all -c stage=<stage>` deploys, under the same stack names, so the pipeline
 * takes over stacks deployed by hand (and the other way round).
 */
export class ChatStage extends Stage {
  readonly stacks: ChatStacks;
  /** `wss://.../ws` of the stage, for the post-deploy checks. */
  readonly webSocketUrl: CfnOutput;

  constructor(scope: Construct, id: string, props: ChatStageProps) {
    super(scope, id, { env: props.env });
    this.stacks = createChatStacks(this, props.settings, { env: props.env, imageDirectory: props.imageDirectory });
    const output = this.stacks.service.node.tryFindChild('WebSocketUrl');
    if (!(output instanceof CfnOutput)) throw new Error(`${id}: the service stack has no WebSocketUrl output`);
    this.webSocketUrl = output;
  }
}
