import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { opsListenerHandler } from './ops-routes.js';

/**
 * A second HTTP listener on OPS_PORT in front of the same application. Only it serves the ops
 * routes (see ops-routes.ts); the deployment keeps this port out of the load balancer and opens
 * it only inside the VPC.
 */
export async function listenOps(app: INestApplication, host: string, port: number): Promise<Server> {
  const application = app.getHttpAdapter().getInstance() as (
    request: IncomingMessage,
    response: ServerResponse,
  ) => void;
  const server = createServer(opsListenerHandler(application));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function opsPortOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

export function closeOps(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
