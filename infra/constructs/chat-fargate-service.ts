import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { ServiceSettings } from '../config/stages.js';

export interface ChatFargateServiceProps {
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly enableExecuteCommand: boolean;
  readonly fargateSpot?: ServiceSettings['fargateSpot'];
}

/** The serving tasks: rolling deploys that never drop capacity, rolled back by the circuit breaker. */
export class ChatFargateService extends ecs.FargateService {
  constructor(scope: Construct, id: string, props: ChatFargateServiceProps) {
    super(scope, id, {
      cluster: props.cluster,
      taskDefinition: props.taskDefinition,
      // No desiredCount on purpose: CloudFormation then leaves the running count alone on
      // updates, so a deploy never scales a busy fleet back down (autoscaling owns it).
      securityGroups: [props.securityGroup],
      vpcSubnets: props.vpcSubnets,
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      enableExecuteCommand: props.enableExecuteCommand,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      ...(props.fargateSpot
        ? {
            // The first onDemandBase tasks on regular Fargate, every further one on Spot.
            capacityProviderStrategies: [
              { capacityProvider: 'FARGATE', base: props.fargateSpot.onDemandBase, weight: 0 },
              { capacityProvider: 'FARGATE_SPOT', weight: 1 },
            ],
          }
        : {}),
    });
  }
}
