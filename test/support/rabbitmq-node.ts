import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bench/free-port.js';

const run = promisify(execFile);
// The scripts themselves: /usr/sbin's wrappers switch to the rabbitmq user and drop this environment.
const BIN = '/usr/lib/rabbitmq/bin';

/**
 * A RabbitMQ node of the suite's own, on ports free at run time and data in a temp dir, for the
 * tests that stop or alarm a broker: the shared 127.0.0.1:5672 is never touched.
 */
export interface RabbitNode {
  readonly url: string;
  readonly name: string;
  ctl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export function rabbitNodeSupported(): boolean {
  return existsSync(join(BIN, 'rabbitmq-server'));
}

export async function startRabbitNode(): Promise<RabbitNode> {
  const dir = await mkdtemp(join(tmpdir(), 'rabbit-node-'));
  const [port, distPort] = [await freePort(), await freePort()];
  const name = `test-${randomBytes(4).toString('hex')}@localhost`;
  await writeFile(join(dir, 'enabled_plugins'), '[].\n');
  const env = {
    ...process.env,
    HOME: dir, // its own Erlang cookie, which rabbitmqctl reads from the same HOME
    RABBITMQ_NODENAME: name,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
  };
  const ctl = async (...args: string[]) => (await run(join(BIN, 'rabbitmqctl'), ['-n', name, ...args], { env })).stdout;
  await run(join(BIN, 'rabbitmq-server'), ['-detached'], { env });
  // await_startup fails at once until the node has registered with epmd: retry, bounded.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await ctl('await_startup', '--timeout', '30');
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await ctl('stop').catch(() => {});
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    name,
    ctl,
    stop: async () => {
      await ctl('stop').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
