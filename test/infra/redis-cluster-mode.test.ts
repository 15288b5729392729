import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { applySizing, parseSizing } from '../../infra/config/sizing.js';
import { resolveStageSettings, validateStageSettings } from '../../infra/config/stages.js';
import { buildStage, defaultOverrides } from './support/build-stage.js';

/** prod switched to cluster mode the documented way: `-c sizing='{"redis":{…}}'`. */
const CLUSTER_SIZING = '{"redis":{"shards":3,"replicas":1}}';

function prodWithSizing(sizing: string) {
  return applySizing(resolveStageSettings('prod', defaultOverrides('prod')), parseSizing(sizing));
}

describe('Redis cluster mode (redis.shards)', () => {
  const prod = buildStage('prod', { settings: { redis: prodWithSizing(CLUSTER_SIZING).redis } });

  it('makes a cluster-mode-enabled replication group: 3 shards of a primary and a replica, Multi-AZ', () => {
    prod.data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ClusterMode: 'enabled',
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 1,
      NumCacheClusters: Match.absent(),
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
    });
    prod.data.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      Properties: { 'maxmemory-policy': 'noeviction', 'cluster-enabled': 'yes' },
    });
  });

  it('points the service at the configuration endpoint with REDIS_CLUSTER=true', () => {
    const environment = prod.service.findResources('AWS::ECS::TaskDefinition');
    const variables = Object.values(environment).flatMap((resource) =>
      (
        resource.Properties.ContainerDefinitions as Array<{ Environment?: Array<{ Name: string; Value: unknown }> }>
      ).flatMap((container) => container.Environment ?? []),
    );
    expect(variables).toContainEqual({ Name: 'REDIS_CLUSTER', Value: 'true' });
    const host = variables.find((variable) => variable.Name === 'REDIS_HOST');
    expect(JSON.stringify(host?.Value)).toContain('ConfigurationEndPointAddress');
    // prod's receipts still wait for a replica, now the one of the room's shard.
    expect(variables).toContainEqual({ Name: 'RECEIPT_WAIT_REPLICAS', Value: '1' });
  });

  it('synthesizes nag-clean', () => {
    const report = new AwsSolutionsChecks().validateScope(prod.app);
    expect(
      report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
    ).toEqual([]);
  });

  it('leaves every stage in cluster mode disabled by default', () => {
    for (const stage of ['dev', 'staging', 'prod'] as const) {
      expect(resolveStageSettings(stage, defaultOverrides(stage)).redis.shards).toBeUndefined();
    }
  });

  it.each([
    ['{"redis":{"shards":3,"replicas":0}}', 'redis.shards needs redis.replicas ≥ 1'],
    ['{"redis":{"shards":0}}', 'redis.shards must be between 1 and 500'],
  ])('refuses what cluster mode cannot do: %s', (sizing, problem) => {
    expect(() => validateStageSettings(prodWithSizing(sizing))).toThrow(problem);
  });
});
