import { beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NetworkStack } from '../../infra/stacks/network-stack.js';
import { builtStage, cdkJsonContext, type BuiltStage } from './support/build-stage.js';

const subnetsOfType = (template: Template, type: 'Public' | 'Private' | 'Isolated') =>
  Object.values(
    template.findResources('AWS::EC2::Subnet', {
      Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: type }]) },
    }),
  );

let dev: BuiltStage;
let prod: BuiltStage;

beforeAll(() => {
  dev = builtStage('dev');
  prod = builtStage('prod');
});

describe('NetworkStack', () => {
  it('has public, private-with-egress and isolated subnets in every AZ', () => {
    for (const type of ['Public', 'Private', 'Isolated'] as const) {
      expect(subnetsOfType(dev.network, type)).toHaveLength(2);
    }
    dev.network.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  it('spreads prod over three AZs with a NAT gateway each when the account and region are known', () => {
    const env = { account: '123456789012', region: 'eu-west-1' };
    const app = new App({
      context: {
        ...cdkJsonContext(),
        // What `cdk synth` with credentials writes to cdk.context.json.
        [`availability-zones:account=${env.account}:region=${env.region}`]: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      },
    });
    const stack = new NetworkStack(app, 'Net', {
      env,
      maxAzs: 3,
      natGateways: 3,
      flowLogRetention: logs.RetentionDays.THREE_MONTHS,
      httpsEnabled: true,
    });
    const template = Template.fromStack(stack);
    for (const type of ['Public', 'Private', 'Isolated'] as const) {
      expect(subnetsOfType(template, type)).toHaveLength(3);
    }
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  it('logs all VPC traffic to CloudWatch Logs with the stage retention', () => {
    prod.network.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    prod.network.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('opens 80 and 443 on the load balancer in prod, only 80 in dev', () => {
    prod.network.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Chat load balancer'),
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
      ],
    });
    dev.network.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Chat load balancer'),
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 })],
    });
  });

  it('lets only the load balancer reach the service port, and only the VPC the ops port', () => {
    const groups = prod.network.findResources('AWS::EC2::SecurityGroup');
    const albSg = Object.keys(groups).find((id) => id.startsWith('AlbSecurityGroup'))!;
    const serviceSg = Object.keys(groups).find((id) => id.startsWith('ServiceSecurityGroup'))!;
    expect(groups[serviceSg]?.['Properties']['SecurityGroupIngress']).toEqual([
      expect.objectContaining({ CidrIp: '10.40.0.0/16', FromPort: 9090, ToPort: 9090 }),
    ]);

    const ingress = Object.values(prod.network.findResources('AWS::EC2::SecurityGroupIngress')).filter((rule) =>
      JSON.stringify(rule['Properties']['GroupId']).includes(serviceSg),
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0]?.['Properties']).toEqual(
      expect.objectContaining({
        GroupId: { 'Fn::GetAtt': [serviceSg, 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [albSg, 'GroupId'] },
        FromPort: 8080,
        ToPort: 8080,
      }),
    );
    // The load balancer may only talk to the service.
    prod.network.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [albSg, 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [serviceSg, 'GroupId'] },
      FromPort: 8080,
    });
  });
});
