import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { builtStage } from './support/build-stage.js';

const ALARMS = ['Target5xx', 'LoadBalancer5xx', 'UnhealthyTargets', 'ConnectionsDropped'];

describe('deployment alarms', () => {
  it.each(['dev', 'staging', 'prod'] as const)('roll a %s deployment back, next to the circuit breaker', (stage) => {
    const { service } = builtStage(stage);
    const names = ALARMS.map((a) => `Chat-${stage}-Service-deploy-${a}`);
    service.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        Alarms: { AlarmNames: names, Enable: true, Rollback: true },
      }),
    });
    for (const name of names) {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: name,
        AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('AlarmTopic') })],
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('treats a drop of half the load balancer connections within a minute as a failed release', () => {
    const { service } = builtStage('prod');
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Chat-prod-Service-deploy-ConnectionsDropped',
      Threshold: 50,
      EvaluationPeriods: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('DIFF\\(c\\)') }),
        Match.objectLike({
          Id: 'c',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ActiveConnectionCount', Namespace: 'AWS/ApplicationELB' }),
            Period: 60,
            Stat: 'Sum',
          }),
        }),
      ]),
    });
  });

  it.each(['staging', 'prod'] as const)(
    'reach someone in %s: the alarm topic has the stage email subscribed',
    (stage) => {
      builtStage(stage).service.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
        TopicArn: Match.objectLike({ Ref: Match.stringLikeRegexp('AlarmTopic') }),
      });
    },
  );

  it('do not make the service depend on the alarms by reference (no cycle, names are literal)', () => {
    const { service } = builtStage('prod');
    const [ecsService] = Object.values(service.findResources('AWS::ECS::Service'));
    const alarmNames = ecsService?.['Properties'].DeploymentConfiguration.Alarms.AlarmNames as unknown[];
    expect(alarmNames.every((n) => typeof n === 'string')).toBe(true);
  });
});
