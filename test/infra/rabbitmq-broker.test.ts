import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseBrokerKind, type StageName } from '../../infra/config/stages.js';
import { buildStage, defaultOverrides, type BuiltStage } from './support/build-stage.js';

const built = new Map<StageName, BuiltStage>();
const onRabbitMq = (stage: StageName): BuiltStage => {
  let stageBuilt = built.get(stage);
  if (stageBuilt === undefined) {
    stageBuilt = buildStage(stage, { overrides: { ...defaultOverrides(stage), broker: 'rabbitmq' } });
    built.set(stage, stageBuilt);
  }
  return stageBuilt;
};

describe('broker: rabbitmq', () => {
  it('adds no broker with the default Redis backplane', () => {
    const { data, service } = buildStage('dev');
    data.resourceCountIs('AWS::AmazonMQ::Broker', 0);
    service.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({ Environment: Match.arrayWith([{ Name: 'BACKPLANE', Value: 'redis' }]) }),
      ]),
    });
  });

  it.each([
    ['prod', 'CLUSTER_MULTI_AZ', 'mq.m5.large', 3],
    ['dev', 'SINGLE_INSTANCE', 'mq.t3.micro', 1],
  ] as const)('runs Amazon MQ for RabbitMQ in %s as %s (%s), private', (stage, mode, instanceType, subnets) => {
    const { data } = onRabbitMq(stage);
    data.resourceCountIs('AWS::AmazonMQ::Broker', 1);
    data.hasResourceProperties('AWS::AmazonMQ::Broker', {
      EngineType: 'RABBITMQ',
      DeploymentMode: mode,
      HostInstanceType: instanceType,
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      Logs: { General: true },
      SubnetIds: Match.anyValue(),
    });
    const broker = Object.values(data.findResources('AWS::AmazonMQ::Broker'))[0] as {
      Properties: { SubnetIds: unknown[]; Users: Array<{ Password: unknown }> };
    };
    expect(broker.Properties.SubnetIds).toHaveLength(subnets);
    // Credentials come from Secrets Manager by dynamic reference, never as literal text.
    expect(JSON.stringify(broker.Properties.Users[0]!.Password)).toContain('{{resolve:secretsmanager:');
  });

  it('admits only the service security group, on 5671, with no egress', () => {
    const { data } = onRabbitMq('prod');
    const groups = data.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: 'RabbitMQ: ingress only from the chat service' },
    });
    const [groupId] = Object.keys(groups);
    expect(groupId).toBeDefined();
    expect(groups[groupId!]).toMatchObject({
      Properties: { SecurityGroupEgress: [expect.objectContaining({ CidrIp: '255.255.255.255/32' })] },
    });
    const ingress = Object.values(data.findResources('AWS::EC2::SecurityGroupIngress')).filter((rule) =>
      JSON.stringify(rule).includes(groupId!),
    );
    expect(ingress).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          FromPort: 5671,
          ToPort: 5671,
          IpProtocol: 'tcp',
          SourceSecurityGroupId: expect.anything(),
        }),
      }),
    ]);
    // The broker sits behind that group only.
    data.hasResourceProperties('AWS::AmazonMQ::Broker', { SecurityGroups: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }] });
  });

  it('gives the service BACKPLANE=rabbitmq, the amqps endpoint and the credentials as secrets', () => {
    const { service } = onRabbitMq('prod');
    service.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: 'BACKPLANE', Value: 'rabbitmq' },
            { Name: 'RABBITMQ_URL', Value: Match.anyValue() },
          ]),
          Secrets: Match.arrayWith([
            Match.objectLike({ Name: 'RABBITMQ_USERNAME' }),
            Match.objectLike({ Name: 'RABBITMQ_PASSWORD' }),
          ]),
        }),
      ]),
    });
  });

  it.each(['dev', 'prod'] as const)('is cdk-nag clean in %s', (stage) => {
    const { app } = onRabbitMq(stage);
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });

  it('refuses an unknown broker name', () => {
    expect(parseBrokerKind('rabbitmq')).toBe('rabbitmq');
    expect(parseBrokerKind(undefined)).toBeUndefined();
    expect(() => parseBrokerKind('kafka')).toThrow(/unknown broker 'kafka'/);
  });
});
