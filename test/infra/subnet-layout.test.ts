import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SubnetPlan } from '../../infra/constructs/subnet-plan.js';
import { NetworkStack } from '../../infra/stacks/network-stack.js';
import {
  REPO_ROOT,
  TEST_AZS,
  TEST_ENV,
  availabilityZonesContext,
  builtStage,
  cdkJsonContext,
} from './support/build-stage.js';

/** Logical id → CIDR of every subnet in the template. */
function subnetCidrs(template: Template): Record<string, string> {
  const subnets = template.findResources('AWS::EC2::Subnet');
  return Object.fromEntries(
    Object.entries(subnets).map(([id, r]) => [id, (r['Properties'] as { CidrBlock: string }).CidrBlock]),
  );
}

function network(maxAzs: number, azs: readonly string[] = TEST_AZS): Template {
  const app = new App({ context: { ...cdkJsonContext(), ...availabilityZonesContext(azs) } });
  const stack = new NetworkStack(app, 'Net', {
    env: TEST_ENV,
    maxAzs,
    natGateways: 1,
    flowLogRetention: logs.RetentionDays.ONE_WEEK,
    httpsEnabled: true,
  });
  return Template.fromStack(stack);
}

describe('subnet layout', () => {
  it('keeps every subnet of a two-AZ VPC, with its CIDR, when a third AZ is added', () => {
    const two = subnetCidrs(network(2));
    const three = subnetCidrs(network(3));
    expect(Object.keys(two)).toHaveLength(6);
    expect(Object.keys(three)).toHaveLength(9);
    for (const [id, cidr] of Object.entries(two)) expect(three[id]).toBe(cidr);
  });

  it('puts the data subnets at fixed addresses, one slot per AZ', () => {
    const cidrs = subnetCidrs(network(3));
    const data = Object.entries(cidrs)
      .filter(([id]) => id.startsWith('VpcdataSubnet'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, cidr]) => cidr);
    expect(data).toEqual(['10.40.128.0/24', '10.40.129.0/24', '10.40.130.0/24']);
  });

  it('gives prod three AZs, the real ones of its region (from cdk.context.json)', () => {
    const { network: template } = builtStage('prod');
    const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map(
      (r) => (r['Properties'] as { AvailabilityZone: string }).AvailabilityZone,
    );
    expect([...new Set(azs)].sort()).toEqual(TEST_AZS);
    expect(azs).toHaveLength(9);
  });

  it('gives staging three AZs too', () => {
    expect(Object.keys(subnetCidrs(builtStage('staging').network))).toHaveLength(9);
  });

  it('refuses a region that offers this account fewer AZs than asked', () => {
    expect(() => network(3, ['eu-west-1a', 'eu-west-1b'])).toThrow(
      'Net: 3 AZs requested but eu-west-1 offers 2 (eu-west-1a, eu-west-1b) to this account; check cdk.context.json',
    );
  });

  it('asks the CLI to look the AZs up when cdk.context.json does not have them yet', () => {
    const app = new App({ context: cdkJsonContext() });
    new NetworkStack(app, 'Net', {
      env: TEST_ENV,
      maxAzs: 3,
      natGateways: 1,
      flowLogRetention: logs.RetentionDays.ONE_WEEK,
      httpsEnabled: true,
    });
    const missing = app.synth().manifest.missing ?? [];
    expect(missing.map((m) => m.key)).toContain(
      `availability-zones:account=${TEST_ENV.account}:region=${TEST_ENV.region}`,
    );
  });

  it('keeps cdk.context.json under version control (CI must see the same AZs as a laptop)', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored.map((l) => l.trim())).not.toContain('cdk.context.json');
    // When present, every AZ list in it must hold at least the three AZs staging and prod use.
    const file = join(REPO_ROOT, 'cdk.context.json');
    if (existsSync(file)) {
      const context = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(context)) {
        if (key.startsWith('availability-zones:')) expect((value as string[]).length).toBeGreaterThanOrEqual(3);
      }
    }
  });
});

describe('SubnetPlan', () => {
  const request = (azCount: number, mask = 24): ec2.AllocateCidrRequest => ({
    vpcCidr: '10.0.0.0/16',
    requestedSubnets: Array.from({ length: azCount }, (_, i) => ({
      availabilityZone: `az${i}`,
      subnetConstructId: `aSubnet${i + 1}`,
      configuration: { name: 'a', subnetType: ec2.SubnetType.PUBLIC, cidrMask: mask },
    })),
  });

  it('refuses more AZs than the group has slots for', () => {
    const plan = new SubnetPlan('10.0.0.0/16', { a: { start: '10.0.0.0', slots: 2 } });
    expect(() => plan.allocateSubnetsCidr(request(3))).toThrow(
      "subnet group 'a' has 2 slots; the VPC asks for a subnet in AZ 3",
    );
  });

  it('refuses overlapping groups and ranges outside the VPC', () => {
    const overlapping = new SubnetPlan('10.0.0.0/16', {
      a: { start: '10.0.0.0', slots: 4 },
      b: { start: '10.0.2.0', slots: 4 },
    });
    const both: ec2.AllocateCidrRequest = {
      vpcCidr: '10.0.0.0/16',
      requestedSubnets: [
        ...request(1).requestedSubnets,
        {
          ...request(1).requestedSubnets[0]!,
          configuration: { name: 'b', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        },
      ],
    };
    expect(() => overlapping.allocateSubnetsCidr(both)).toThrow("subnet groups 'a' and 'b' overlap");
    const outside = new SubnetPlan('10.0.0.0/16', { a: { start: '10.0.254.0', slots: 4 } });
    expect(() => outside.allocateSubnetsCidr(request(1))).toThrow('leaves 10.0.0.0/16');
  });

  it('refuses a start that is not aligned to the mask', () => {
    const plan = new SubnetPlan('10.0.0.0/16', { a: { start: '10.0.8.0', slots: 2 } });
    expect(() => plan.allocateSubnetsCidr(request(1, 20))).toThrow("subnet group 'a': 10.0.8.0 is not aligned to /20");
  });
});
