import { describe, expect, it } from '@jest/globals';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { DeregistrationWatcher, taskAddressFromMetadata } from '../../../app/src/ops/deregistration-watcher.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/chat/abc';

function watcherWith(states: Array<string | Error>) {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const call = elb.on(DescribeTargetHealthCommand);
  for (const state of states) {
    if (state instanceof Error) call.rejectsOnce(state);
    else call.resolvesOnce({ TargetHealthDescriptions: [{ TargetHealth: { State: state as 'healthy' } }] });
  }
  let drains = 0;
  const watcher = new DeregistrationWatcher(
    new ElasticLoadBalancingV2Client({ region: 'eu-west-1' }),
    TARGET_GROUP,
    () => Promise.resolve({ id: '10.0.1.23', port: 8080 }),
    10_000,
    () => drains++,
    silent,
  );
  return { elb, watcher, drains: () => drains };
}

describe('DeregistrationWatcher', () => {
  it('asks about exactly this task and does nothing while it is healthy', async () => {
    const { elb, watcher, drains } = watcherWith(['healthy']);
    expect(await watcher.poll()).toBe('healthy');
    expect(drains()).toBe(0);
    expect(elb.commandCalls(DescribeTargetHealthCommand)[0]!.args[0].input).toEqual({
      TargetGroupArn: TARGET_GROUP,
      Targets: [{ Id: '10.0.1.23', Port: 8080 }],
    });
    elb.restore();
  });

  it('starts the drain once when the load balancer starts draining the target', async () => {
    const { elb, watcher, drains } = watcherWith(['healthy', 'draining', 'draining']);
    await watcher.poll();
    await watcher.poll();
    await watcher.poll();
    expect(drains()).toBe(1);
    elb.restore();
  });

  it('keeps polling through AWS errors without draining', async () => {
    const { elb, watcher, drains } = watcherWith([new Error('ThrottlingException'), 'unhealthy.draining']);
    expect(await watcher.poll()).toBeUndefined();
    expect(drains()).toBe(0);
    expect(await watcher.poll()).toBe('unhealthy.draining');
    expect(drains()).toBe(1);
    elb.restore();
  });
});

describe('taskAddressFromMetadata', () => {
  it('reads the task IP from the ECS container metadata', async () => {
    const metadata = { Networks: [{ NetworkMode: 'awsvpc', IPv4Addresses: ['10.0.3.7'] }] };
    await expect(
      taskAddressFromMetadata('http://169.254.170.2/v4/x', 8080, () => Promise.resolve(metadata)),
    ).resolves.toEqual({
      id: '10.0.3.7',
      port: 8080,
    });
  });

  it('fails clearly when the metadata has no address', async () => {
    await expect(taskAddressFromMetadata('uri', 8080, () => Promise.resolve({}))).rejects.toThrow('no IPv4 address');
  });
});
