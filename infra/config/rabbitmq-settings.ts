import type { ProtectionSettings } from './stages.js';

export interface RabbitMqSettings {
  readonly deploymentMode: 'CLUSTER_MULTI_AZ' | 'SINGLE_INSTANCE';
  readonly hostInstanceType: string;
}

/**
 * The Amazon MQ broker of a stage: a three-node cluster across AZs where the stage is Multi-AZ
 * (quorum queues then survive an AZ), one small instance otherwise.
 */
export function rabbitMqSettingsFor(protection: ProtectionSettings): RabbitMqSettings {
  return protection.multiAz
    ? { deploymentMode: 'CLUSTER_MULTI_AZ', hostInstanceType: 'mq.m5.large' }
    : { deploymentMode: 'SINGLE_INSTANCE', hostInstanceType: 'mq.t3.micro' };
}
