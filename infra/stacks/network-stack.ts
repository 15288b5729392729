import { ReferenceStrength, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { InterfaceEndpoints } from '../constructs/interface-endpoints.js';
import { SubnetPlan } from '../constructs/subnet-plan.js';

/** Ports of the data stores the service connects to (Redis/Valkey, DocumentDB, MySQL). */
/** The VPC's address range, a literal so security group rules can name it (and cdk-nag read them). */
export const VPC_CIDR = '10.40.0.0/16';
export const DATA_STORE_PORTS = { redis: 6379, documentDb: 27017, mysql: 3306 } as const;

export interface NetworkStackProps extends StackProps {
  /** AZs to use (an environment-agnostic stack gets at most 2). */
  readonly maxAzs: number;
  readonly natGateways: number;
  /** Retention of the VPC flow logs. */
  readonly flowLogRetention: logs.RetentionDays;
  /** Port the chat containers listen on. @default 8080 */
  readonly servicePort?: number;
  /** Open 443 on the load balancer (a certificate is configured). */
  readonly httpsEnabled: boolean;
  /**
   * Port of the tasks' ops listener (/metrics, /readyz, /docs), opened to the VPC only.
   * @default - none
   */
  readonly opsPort?: number;
  /** Interface endpoints for ECR, Secrets Manager and Logs. @default false */
  readonly interfaceEndpoints?: boolean;
}

/** Subnets the tasks run in: private, with NAT egress for ECR, Secrets Manager and logs. */
export const SERVICE_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
/** Subnets the data stores live in: no route to or from the internet. */
export const DATA_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
/** Subnets the internet-facing load balancer lives in. */
export const PUBLIC_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };

/**
 * Fixed addresses per subnet group, room for four AZs each (see SubnetPlan): going from two
 * to three AZs adds subnets and moves none. Public and service keep the addresses the CDK's
 * packing gave a two-AZ VPC; data starts at 10.40.128.0 so it never follows the AZ count.
 */
const SUBNET_PLAN = new SubnetPlan(VPC_CIDR, {
  public: { start: '10.40.0.0', slots: 4 },
  service: { start: '10.40.16.0', slots: 4 },
  data: { start: '10.40.128.0', slots: 4 },
});

/**
 * VPC with public (ALB), private-with-egress (tasks) and isolated (data) subnets, flow
 * logs, and the two security groups every other stack builds on. Both groups live here so
 * the data stack can reference the service group and the service stack can use both
 * without the stacks referencing each other in a cycle.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly albSecurityGroup: ec2.SecurityGroup;
  readonly serviceSecurityGroup: ec2.SecurityGroup;
  readonly interfaceEndpoints?: InterfaceEndpoints;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    // Every other stack lives in this VPC: deleting it by accident must not be one step.
    super(scope, id, { ...props, terminationProtection: true });
    const servicePort = props.servicePort ?? 8080;

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: SUBNET_PLAN,
      maxAzs: props.maxAzs,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        // /20 per AZ: every Fargate task takes one IP, and scale-out plus a rolling
        // deploy at 200% can double the count for a while.
        { name: 'service', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      // Image layers come from S3; the free gateway endpoint keeps them off the NAT bill.
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
      restrictDefaultSecurityGroup: true,
    });
    // A stack with a known account and region gets the region's real AZs (cdk.context.json);
    // fewer than asked would silently shrink the layout, which is what this check refuses.
    const envKnown = !Token.isUnresolved(this.account) && !Token.isUnresolved(this.region);
    if (envKnown && this.vpc.availabilityZones.length < props.maxAzs) {
      throw new Error(
        `${id}: ${props.maxAzs} AZs requested but ${this.region} offers ${this.vpc.availabilityZones.length} (${this.vpc.availabilityZones.join(', ')}) to this account; check cdk.context.json`,
      );
    }

    this.albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc: this.vpc,
      description: 'Chat load balancer: HTTP(S) from the internet, out only to the service',
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'Chat service tasks: in only from the load balancer',
      // Out only to what a task talks to: AWS APIs over HTTPS (ECR, Secrets Manager, Logs, ELB;
      // NAT or the endpoints) and the data stores inside the VPC. DNS (the VPC resolver) and the
      // ECS metadata endpoint are link-local and not subject to security groups.
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs over HTTPS');
    for (const [store, port] of Object.entries(DATA_STORE_PORTS)) {
      this.serviceSecurityGroup.addEgressRule(
        ec2.Peer.ipv4(VPC_CIDR),
        ec2.Port.tcp(port),
        `to the ${store} data store`,
      );
    }

    // HTTP stays open with TLS too: the listener on 80 only redirects to 443.
    this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet');
    if (props.httpsEnabled) {
      this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    }
    this.albSecurityGroup.addEgressRule(this.serviceSecurityGroup, ec2.Port.tcp(servicePort), 'to the chat service');
    this.serviceSecurityGroup.addIngressRule(
      this.albSecurityGroup,
      ec2.Port.tcp(servicePort),
      'from the load balancer',
    );
    if (props.opsPort !== undefined) {
      this.serviceSecurityGroup.addIngressRule(
        ec2.Peer.ipv4(VPC_CIDR),
        ec2.Port.tcp(props.opsPort),
        'ops listener (metrics, readiness) from inside the VPC only',
      );
    }
    if (props.interfaceEndpoints) {
      this.interfaceEndpoints = new InterfaceEndpoints(this, 'Endpoints', {
        vpc: this.vpc,
        subnets: SERVICE_SUBNETS,
        allowFrom: ec2.Peer.ipv4(VPC_CIDR),
      });
    }
    // Deleting or replacing these breaks the data and service stacks: their references are
    // exports, which CloudFormation refuses to remove while imported.
    this.vpc.applyCrossStackReferenceStrength(ReferenceStrength.STRONG);
    for (const group of [this.albSecurityGroup, this.serviceSecurityGroup]) {
      group.applyCrossStackReferenceStrength(ReferenceStrength.STRONG);
    }
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets]) {
      (subnet as ec2.Subnet).applyCrossStackReferenceStrength(ReferenceStrength.STRONG);
    }
    Validations.of(this.albSecurityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'Public chat endpoint: the internet-facing load balancer must accept 80/443 from any address; nothing else is open.',
    });
  }
}
