import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Where one subnet group's subnets go: consecutive slots of the group's `cidrMask`, one per AZ. */
export interface SubnetGroupPlan {
  /** First address of the group's first subnet, e.g. `10.40.128.0`. */
  readonly start: string;
  /** How many AZs the group has room for (the largest AZ count it will ever need). */
  readonly slots: number;
}

/**
 * Fixed subnet addresses: the subnet of group G in the i-th AZ always gets slot i of G's range,
 * whatever the number of AZs.
 *
 * The CDK's default allocation packs every group right after the previous one, so the third
 * AZ's public subnet pushes all service and data subnets to new CIDR blocks under the same
 * logical IDs (a replacement of every data subnet). With this plan, adding an AZ only adds
 * subnets in free slots; the existing ones keep their CIDRs.
 */
export class SubnetPlan implements ec2.IIpAddresses {
  private readonly vpcRange: Range;

  constructor(
    private readonly vpcCidr: string,
    private readonly groups: Readonly<Record<string, SubnetGroupPlan>>,
  ) {
    this.vpcRange = parseCidr(vpcCidr);
  }

  allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.vpcCidr };
  }

  allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    const taken: { group: string; range: Range }[] = [];
    const usedSlots = new Map<string, number>();
    for (const [name, plan] of Object.entries(this.groups)) {
      const mask = input.requestedSubnets.find((s) => s.configuration.name === name)?.configuration.cidrMask;
      if (mask === undefined) continue;
      const range = { first: parseAddress(plan.start), size: plan.slots * 2 ** (32 - mask) };
      if (range.first % 2 ** (32 - mask) !== 0) {
        throw new Error(`subnet group '${name}': ${plan.start} is not aligned to /${mask}`);
      }
      if (!contains(this.vpcRange, range)) {
        throw new Error(`subnet group '${name}': ${plan.slots} x /${mask} from ${plan.start} leaves ${this.vpcCidr}`);
      }
      const clash = taken.find((t) => overlaps(t.range, range));
      if (clash) throw new Error(`subnet groups '${clash.group}' and '${name}' overlap`);
      taken.push({ group: name, range });
    }

    const allocatedSubnets = input.requestedSubnets.map((subnet) => {
      const { name, cidrMask } = subnet.configuration;
      const plan = this.groups[name];
      if (!plan || cidrMask === undefined) {
        throw new Error(`subnet group '${name}' needs a cidrMask and an entry in the subnet plan`);
      }
      const slot = usedSlots.get(name) ?? 0;
      if (slot >= plan.slots) {
        throw new Error(`subnet group '${name}' has ${plan.slots} slots; the VPC asks for a subnet in AZ ${slot + 1}`);
      }
      usedSlots.set(name, slot + 1);
      return { cidr: `${formatAddress(parseAddress(plan.start) + slot * 2 ** (32 - cidrMask))}/${cidrMask}` };
    });
    return { allocatedSubnets };
  }
}

interface Range {
  readonly first: number;
  readonly size: number;
}

function parseAddress(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: '${address}'`);
  }
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function parseCidr(cidr: string): Range {
  const [address, bits] = cidr.split('/');
  const mask = Number(bits);
  if (address === undefined || !Number.isInteger(mask) || mask < 0 || mask > 32) {
    throw new Error(`not an IPv4 CIDR: '${cidr}'`);
  }
  return { first: parseAddress(address), size: 2 ** (32 - mask) };
}

const contains = (outer: Range, inner: Range) =>
  inner.first >= outer.first && inner.first + inner.size <= outer.first + outer.size;
const overlaps = (a: Range, b: Range) => a.first < b.first + b.size && b.first < a.first + a.size;
