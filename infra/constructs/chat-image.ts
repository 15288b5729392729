import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import type { Construct } from 'constructs';

/**
 * The image build context as an allow-list (also the content of .dockerignore): everything is
 * left out except what the Dockerfile copies. The asset hash covers exactly these files, so
 * editing a lint config, a test or a doc neither reruns the migration task (its run id is the
 * hash) nor rolls the fleet. A file the Dockerfile starts copying must be added here;
 * test/infra/image-asset-hash.test.ts compares this list with the Dockerfile's COPY lines.
 */
export const IMAGE_EXCLUDES = [
  '*',
  '!Dockerfile',
  '!package.json',
  '!package-lock.json',
  '!tsconfig*.json',
  '!app',
  '!client',
];

export interface ChatImageProps {
  /** Directory with the Dockerfile: the repository root. */
  readonly directory: string;
}

/** The chat image, built from the repository's Dockerfile for the tasks' ARM64 (Graviton). */
export class ChatImage extends ecrAssets.DockerImageAsset {
  constructor(scope: Construct, id: string, props: ChatImageProps) {
    super(scope, id, {
      directory: props.directory,
      file: 'Dockerfile',
      exclude: IMAGE_EXCLUDES,
      // Building for ARM64 explicitly keeps x86 machines from shipping an image the tasks cannot
      // start (they need buildx with QEMU, see docs/deploy.md).
      platform: ecrAssets.Platform.LINUX_ARM64,
    });
  }
}
