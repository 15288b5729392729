import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface DataStoreSecurityGroupProps {
  readonly vpc: ec2.IVpc;
  /** The only security group allowed in (the chat service's). */
  readonly allowFrom: ec2.ISecurityGroup;
  /** The data store's TCP port. */
  readonly port: number;
  /** What the group protects, used in descriptions. */
  readonly storeName: string;
}

/**
 * A security group for one data store: ingress only from one security group on one port,
 * and no egress (data stores never open connections to the service).
 */
export class DataStoreSecurityGroup extends Construct {
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: DataStoreSecurityGroupProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'Resource', {
      vpc: props.vpc,
      description: `${props.storeName}: ingress only from the chat service`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(props.allowFrom, ec2.Port.tcp(props.port), `chat service to ${props.storeName}`);
  }
}
