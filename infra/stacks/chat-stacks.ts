import { Tags, Token, type Environment } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { validateStageSettings, type StageSettings } from '../config/stages.js';
import { DataStack } from './data-stack.js';
import { NetworkStack } from './network-stack.js';
import { OPS_PORT, ServiceStack } from './service-stack.js';

export interface ChatStacksOptions {
  /** Target account/region. @default - environment-agnostic stacks */
  readonly env?: Environment;
  /** Directory holding the Dockerfile (the repository root). */
  readonly imageDirectory: string;
}

export interface ChatStacks {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly service: ServiceStack;
}

/**
 * Builds the three stacks of one stage. Shared by `bin/main.ts` and the tests so both
 * synthesize exactly the same thing.
 */
export function createChatStacks(scope: Construct, settings: StageSettings, options: ChatStacksOptions): ChatStacks {
  validateStageSettings(settings);
  const { stage } = settings;
  requireEnvironment(stage, options.env);
  const certificateRegion = settings.certificateArn?.split(':')[3];
  const region = options.env?.region;
  if (certificateRegion && region && !Token.isUnresolved(region) && certificateRegion !== region) {
    throw new Error(
      `stage ${stage}: certificateArn is in ${certificateRegion} but the stacks deploy to ${region}; an ALB needs a certificate from its own region`,
    );
  }
  const prefix = `Chat-${stage}`;
  const env = options.env;
  const logRetention = settings.service.logRetentionDays as logs.RetentionDays;

  const network = new NetworkStack(scope, `${prefix}-Network`, {
    env,
    stackName: `${prefix}-Network`,
    description: `Chat backend (${stage}): VPC, subnets, flow logs, security groups`,
    maxAzs: settings.network.maxAzs,
    natGateways: settings.network.natGateways,
    flowLogRetention: logRetention,
    httpsEnabled: settings.certificateArn !== undefined,
    opsPort: OPS_PORT,
    interfaceEndpoints: settings.network.interfaceEndpoints,
  });

  const data = new DataStack(scope, `${prefix}-Data`, {
    env,
    stackName: `${prefix}-Data`,
    description: `Chat backend (${stage}): Redis/Valkey, DocumentDB, MySQL, secrets (stateful, protected)`,
    vpc: network.vpc,
    serviceSecurityGroup: network.serviceSecurityGroup,
    redis: settings.redis,
    documentDb: settings.documentDb,
    mysql: settings.mysql,
    protection: settings.protection,
    broker: settings.broker,
    logRetention,
  });

  const service = new ServiceStack(scope, `${prefix}-Service`, {
    env,
    stackName: `${prefix}-Service`,
    description: `Chat backend (${stage}): ECS Fargate service, ALB, autoscaling, migrations, alarms`,
    vpc: network.vpc,
    albSecurityGroup: network.albSecurityGroup,
    serviceSecurityGroup: network.serviceSecurityGroup,
    data,
    service: settings.service,
    imageDirectory: options.imageDirectory,
    metricsServiceName: `chat-${stage}`,
    certificateArn: settings.certificateArn,
    domainName: settings.domainName,
    alarmEmail: settings.alarmEmail,
    allowedOrigins: settings.allowedOrigins,
    deletionProtection: settings.protection.deletionProtection,
    mysqlAllocatedStorageGiB: settings.mysql.allocatedStorageGiB,
    mysqlInstanceClass: settings.mysql.instanceClass,
    documentDbInstanceClass: settings.documentDb.instanceClass,
    waf: settings.waf,
    receiptWaitReplicas: settings.redis.receiptWaitReplicas,
    clientTopics: settings.clientTopics,
  });

  for (const stack of [network, data, service]) {
    Tags.of(stack).add('project', 'stomp-chat');
    Tags.of(stack).add('stage', stage);
  }
  return { network, data, service };
}

/**
 * Staging and prod must synthesize for their real account and region: without them the VPC
 * falls back to two AZs and `Fn::GetAZs`, and a later synth with credentials would move the
 * subnets under the same logical IDs. Dev may stay environment-agnostic (offline synth).
 */
function requireEnvironment(stage: StageSettings['stage'], env: Environment | undefined): void {
  if (stage === 'dev') return;
  const missing = (['account', 'region'] as const).filter((key) => {
    const value = env?.[key];
    return value === undefined || Token.isUnresolved(value);
  });
  if (missing.length > 0) {
    throw new Error(
      `stage ${stage}: needs a concrete ${missing.join(' and ')} (three AZs from the region's real list); pass -c account=123456789012 -c region=eu-west-1 or put them in the "stages" context (docs/pipeline.md)`,
    );
  }
}
