import { Duration, Size } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ChatTaskDefinitionProps {
  readonly image: ecs.ContainerImage;
  /** Fargate CPU units. */
  readonly cpu: number;
  /** Fargate memory, MiB. */
  readonly memoryMiB: number;
  /** Plain, non-secret configuration. */
  readonly environment: Readonly<Record<string, string>>;
  /** Values injected from Secrets Manager when the task starts. */
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
  readonly logGroup: logs.ILogGroup;
  /** Log stream prefix, e.g. `chat` or `migrate`. */
  readonly streamPrefix: string;
  /** Command override. @default - the image's CMD (the chat server) */
  readonly command?: string[];
  /** Port to expose. @default - none (a one-off task) */
  readonly containerPort?: number;
  /**
   * Container health check command (exec form, without the leading `CMD`).
   * @default - none
   */
  readonly healthCheckCommand?: string[];
  /**
   * Time between SIGTERM and SIGKILL; Fargate allows at most 120 s.
   * @default Duration.seconds(120)
   */
  readonly stopTimeout?: Duration;
  /**
   * Open-file limit. Every WebSocket is a file descriptor; the default 1024 soft limit would
   * cap a task far below its target connection count.
   * @default 65536
   */
  readonly fileDescriptorLimit?: number;
  /**
   * Graviton: about 20 % cheaper per vCPU-hour than x86_64 on Fargate; the image is built for it.
   * @default ecs.CpuArchitecture.ARM64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
  /** Second port (the ops listener), mapped but never registered with the load balancer. @default - none */
  readonly opsPort?: number;
  /**
   * Where the container may write: an ephemeral task volume, the only writable path of a
   * read-only root filesystem. @default '/tmp'
   */
  readonly scratchPath?: string;
}

const SCRATCH_VOLUME = 'scratch';

/** A Fargate task definition running the chat image with its configuration and secrets. */
export class ChatTaskDefinition extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;

  constructor(scope: Construct, id: string, props: ChatTaskDefinitionProps) {
    super(scope, id);
    const nofile = props.fileDescriptorLimit ?? 65536;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Resource', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.ARM64,
      },
    });
    this.taskDefinition.addVolume({ name: SCRATCH_VOLUME });

    this.container = this.taskDefinition.addContainer('app', {
      image: props.image,
      essential: true,
      // The image's code and certificates cannot be changed by the process, nor anything else.
      readonlyRootFilesystem: true,
      command: props.command,
      environment: { ...props.environment },
      secrets: { ...props.secrets },
      stopTimeout: props.stopTimeout ?? Duration.seconds(120),
      ulimits: [{ name: ecs.UlimitName.NOFILE, softLimit: nofile, hardLimit: nofile }],
      logging: ecs.LogDrivers.awsLogs({
        logGroup: props.logGroup,
        streamPrefix: props.streamPrefix,
        // A slow log pipeline must never block stdout and with it the event loop that
        // delivers messages; a bounded buffer drops log lines instead.
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
      healthCheck: props.healthCheckCommand
        ? {
            command: ['CMD', ...props.healthCheckCommand],
            interval: Duration.seconds(15),
            timeout: Duration.seconds(5),
            retries: 3,
            startPeriod: Duration.seconds(30),
          }
        : undefined,
      portMappings: [props.containerPort, props.opsPort]
        .filter((port) => port !== undefined)
        .map((containerPort) => ({ containerPort, protocol: ecs.Protocol.TCP })),
    });
    this.container.addMountPoints({
      sourceVolume: SCRATCH_VOLUME,
      containerPath: props.scratchPath ?? '/tmp',
      readOnly: false,
    });
  }
}
