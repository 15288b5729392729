import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface InterfaceEndpointsProps {
  readonly vpc: ec2.IVpc;
  /** Subnets for the endpoint network interfaces (one per AZ): where the tasks run. */
  readonly subnets: ec2.SubnetSelection;
  /**
   * Who may call the APIs through the endpoints: the VPC's range. With private DNS the endpoint
   * answers for every caller in the VPC (tasks, and the secret rotation functions too), so
   * admitting only the tasks' group would cut the others off; the APIs still authorize by IAM.
   */
  readonly allowFrom: ec2.IPeer;
}

/**
 * The AWS APIs a task needs to start and run, privately: ECR (API and registry; layers come
 * from S3 through the gateway endpoint), Secrets Manager (the task's secrets) and CloudWatch
 * Logs (its log stream). With them a task starts and logs even when NAT is down or throttled.
 * The ELB API is not among them: the drain asks it only when a task is leaving (see
 * app/src/ops/deregistration-watcher.ts), which NAT carries for next to nothing.
 */
export class InterfaceEndpoints extends Construct {
  static readonly SERVICES = {
    EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
    EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
    SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  } as const;

  readonly securityGroup: ec2.SecurityGroup;
  readonly endpoints: ec2.InterfaceVpcEndpoint[] = [];

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'AWS API interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(props.allowFrom, ec2.Port.tcp(443), 'AWS APIs from inside the VPC');
    for (const [name, service] of Object.entries(InterfaceEndpoints.SERVICES)) {
      this.endpoints.push(
        new ec2.InterfaceVpcEndpoint(this, name, {
          vpc: props.vpc,
          service,
          subnets: props.subnets,
          securityGroups: [this.securityGroup],
          privateDnsEnabled: true,
          open: false,
        }),
      );
    }
  }
}
