import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface LoadGeneratorAccessProps {
  readonly vpc: ec2.IVpc;
  /** The chat load balancer's security group. */
  readonly albSecurityGroup: ec2.ISecurityGroup;
  /** Listener port the generators use: 443 with HTTPS, else 80. */
  readonly listenerPort: number;
}

/**
 * The security group Artillery's Fargate workers run in (`run-fargate --security-group-ids`)
 * and the load balancer rule admitting it.
 *
 * Workers need outbound HTTPS to SQS, S3, ECR and CloudWatch as well as to the target, so
 * egress stays open. Their traffic reaches the load balancer by this group's rule when it
 * stays inside the VPC (an internal load balancer, or a VPC endpoint in front of it); to the
 * internet-facing one it leaves through the NAT gateway and is admitted by its public rule.
 */
export class LoadGeneratorAccess extends Construct {
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: LoadGeneratorAccessProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Artillery load generators (run-fargate workers): no inbound, out to the target and AWS APIs',
      allowAllOutbound: true,
    });
    // Written as a resource of this stack: a rule added through the ALB group's own
    // addIngressRule could land in the network stack and make it depend on this one.
    new ec2.CfnSecurityGroupIngress(this, 'AlbIngress', {
      groupId: props.albSecurityGroup.securityGroupId,
      sourceSecurityGroupId: this.securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: props.listenerPort,
      toPort: props.listenerPort,
      description: 'from the load generators',
    });
  }
}
