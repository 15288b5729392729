import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvironmentValues } from '../../app/src/config/environment-variables.js';
import { DataStoreSecurityGroup } from './data-store-security-group.js';

/** AMQP over TLS, the only listener a private Amazon MQ for RabbitMQ broker has for clients. */
export const AMQPS_PORT = 5671;

export interface AmazonMqRabbitMqProps {
  readonly vpc: ec2.IVpc;
  /** Subnets for the broker nodes; a single instance uses the first one. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The only security group allowed to connect. */
  readonly allowFrom: ec2.ISecurityGroup;
  /** `CLUSTER_MULTI_AZ` (three nodes, quorum queues replicated across AZs) or `SINGLE_INSTANCE`. */
  readonly deploymentMode: 'CLUSTER_MULTI_AZ' | 'SINGLE_INSTANCE';
  /** e.g. `mq.m5.large` (clusters need m5; `mq.t3.micro` is single-instance only). */
  readonly hostInstanceType: string;
  /** @default '3.13' */
  readonly engineVersion?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Amazon MQ for RabbitMQ for BACKPLANE=rabbitmq: private (no public endpoint), reachable only
 * from the service's security group on 5671, with its user's credentials generated in Secrets
 * Manager (referenced by the template, never in it), general logs to CloudWatch.
 */
export class AmazonMqRabbitMq extends Construct {
  readonly broker: amazonmq.CfnBroker;
  readonly credentials: secretsmanager.Secret;
  readonly securityGroup: ec2.SecurityGroup;
  /** `amqps://<host>:5671` of the broker (the cluster's endpoint in CLUSTER_MULTI_AZ). */
  readonly amqpsUrl: string;

  constructor(scope: Construct, id: string, props: AmazonMqRabbitMqProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.securityGroup = new DataStoreSecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowFrom: props.allowFrom,
      port: AMQPS_PORT,
      storeName: 'RabbitMQ',
    }).securityGroup;

    this.credentials = new secretsmanager.Secret(this, 'Credentials', {
      description: 'User of the chat Amazon MQ for RabbitMQ broker',
      // Amazon MQ passwords: 12+ characters, no commas, colons or equals signs; alphanumerics
      // also stay safe inside an amqps:// URL.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'chat' }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludePunctuation: true,
      },
      removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    const subnetIds = props.vpc.selectSubnets(props.vpcSubnets).subnetIds;
    this.broker = new amazonmq.CfnBroker(this, 'Broker', {
      brokerName: Fn.join('-', ['chat', Fn.select(2, Fn.split('/', Fn.ref('AWS::StackId')))]),
      engineType: 'RABBITMQ',
      engineVersion: props.engineVersion ?? '3.13',
      deploymentMode: props.deploymentMode,
      hostInstanceType: props.hostInstanceType,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      subnetIds: props.deploymentMode === 'SINGLE_INSTANCE' ? subnetIds.slice(0, 1) : subnetIds,
      securityGroups: [this.securityGroup.securityGroupId],
      logs: { general: true },
      users: [
        {
          username: this.credentials.secretValueFromJson('username').unsafeUnwrap(),
          // A dynamic reference resolved by CloudFormation: the password never enters the template.
          password: this.credentials.secretValueFromJson('password').unsafeUnwrap(),
        },
      ],
    });
    this.broker.applyRemovalPolicy(removalPolicy);
    this.amqpsUrl = Fn.select(0, this.broker.attrAmqpEndpoints);
  }

  /** What a task needs to use this broker as its backplane (Redis settings stay as they are). */
  get taskEnvironment(): EnvironmentValues {
    return { BACKPLANE: 'rabbitmq', RABBITMQ_URL: this.amqpsUrl };
  }

  get taskSecrets(): EnvironmentValues<ecs.Secret> {
    return {
      RABBITMQ_USERNAME: ecs.Secret.fromSecretsManager(this.credentials, 'username'),
      RABBITMQ_PASSWORD: ecs.Secret.fromSecretsManager(this.credentials, 'password'),
    };
  }
}
