import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AppConfig } from '../config/app-config.js';
import { DeregistrationWatcher, taskAddressFromMetadata, type DeregistrationHint } from './deregistration-watcher.js';
import type { Log } from './log.port.js';

/** Where the watcher looks: the task's target group and its ECS metadata endpoint. */
export interface DeregistrationTarget {
  readonly targetGroupArn: string;
  readonly ecsMetadataUri: string;
}

/**
 * The deregistration watcher with its ELB client. drain.module.ts imports this file only when
 * the watcher is configured (on ECS, with a target group), so the AWS SDK stays out of every
 * other process.
 */
export function createDeregistrationWatcher(
  config: AppConfig,
  target: DeregistrationTarget,
  onDeregistered: () => void,
  log: Log,
  hint: DeregistrationHint,
): DeregistrationWatcher {
  const { shutdown, http } = config;
  return new DeregistrationWatcher(
    new ElasticLoadBalancingV2Client({}),
    target.targetGroupArn,
    () => taskAddressFromMetadata(target.ecsMetadataUri, http.port),
    shutdown.deregistrationPollMs,
    onDeregistered,
    log,
    hint,
    shutdown.healthCheckSilenceMs,
  );
}
