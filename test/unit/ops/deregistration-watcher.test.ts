import { describe, expect, it } from '@jest/globals';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { DeregistrationWatcher, taskAddressFromMetadata } from '../../../app/src/ops/deregistration-watcher.js';
import { HealthCheckTracker } from '../../../app/src/ops/health-check-tracker.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/chat/abc';

const SILENCE_MS = 35_000;
const POLL_MS = 5_000;

function watcherWith(states: Array<string | Error>, silentForMs: () => number | undefined = () => SILENCE_MS) {
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
    POLL_MS,
    () => drains++,
    silent,
    { silentForMs },
    SILENCE_MS,
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

describe('DeregistrationWatcher ticks', () => {
  it('makes no ELB call while the load balancer keeps health-checking the task, nor before its first check', async () => {
    const hint: { silentFor?: number } = {};
    const { elb, watcher } = watcherWith(['healthy'], () => hint.silentFor);
    await watcher.tick();
    hint.silentFor = 14_000;
    await watcher.tick();
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(0);
    elb.restore();
  });

  it('asks the ELB API once the health checks went quiet, and drains when it says draining', async () => {
    let silentFor = 0;
    const { elb, watcher, drains } = watcherWith(['draining'], () => silentFor);
    await watcher.tick();
    silentFor = SILENCE_MS;
    expect(await watcher.tick()).toBe('draining');
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(1);
    expect(drains()).toBe(1);
    elb.restore();
  });

  it('costs no API calls over a healthy hour, where the standing 10 s poll made 360 per task', async () => {
    const tracker = { at: 0 };
    const checks = new HealthCheckTracker(() => tracker.at);
    const { elb, watcher } = watcherWith([], () => checks.silentForMs());
    for (let t = 0; t < 3_600_000; t += POLL_MS) {
      tracker.at = t;
      if (t % 15_000 === 0) checks.seen('ELB-HealthChecker/2.0'); // one ALB node, 15 s interval
      await watcher.tick();
    }
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(0);
    elb.restore();
  });
});

describe('HealthCheckTracker', () => {
  it('counts only the load balancer health checker', () => {
    let now = 1_000;
    const tracker = new HealthCheckTracker(() => now);
    tracker.seen('curl/8.0');
    expect(tracker.silentForMs()).toBeUndefined();
    tracker.seen('ELB-HealthChecker/2.0');
    now = 4_000;
    expect(tracker.silentForMs()).toBe(3_000);
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
