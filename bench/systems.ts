import type { ClientProtocol } from './load-connection.js';

/**
 * The systems a fan-out scenario can measure: the service, the bare `ws` floor, and the peers
 * doing the same pub/sub work. Each is driven by the same load workers; only the protocol the
 * workers speak and where the server comes from differ.
 */
export type SystemKind = 'app' | 'floor' | 'socketio' | 'webstomp';

export interface SystemInfo {
  /** The name in reports and charts. */
  readonly label: string;
  readonly protocol: ClientProtocol;
  /**
   * An already running server the bench does not start (RabbitMQ): its CPU and memory are
   * its process', including whatever else that process does meanwhile.
   */
  readonly external: boolean;
  /** The script the bench starts, under the snapshot's dist/bench (not for the service or external ones). */
  readonly benchScript?: string;
}

export const SYSTEMS: Readonly<Record<SystemKind, SystemInfo>> = {
  app: { label: 'this service', protocol: 'stomp', external: false },
  floor: { label: 'bare ws floor', protocol: 'stomp', external: false, benchScript: 'floor-server.js' },
  socketio: { label: 'Socket.IO 4', protocol: 'socketio', external: false, benchScript: 'socketio-server.js' },
  webstomp: { label: 'RabbitMQ Web-STOMP', protocol: 'stomp', external: true },
};

/** The login every RabbitMQ Web-STOMP connection uses (the broker's default account and vhost). */
export const WEBSTOMP_LOGIN = { login: 'guest', passcode: 'guest', host: '/' } as const;

/** The URL a load worker connects to for a server listening on `port`. */
export function clientUrl(system: SystemKind, port: number): string {
  // Socket.IO clients take the origin and add their own /socket.io/ path.
  return system === 'socketio' ? `http://127.0.0.1:${port}` : `ws://127.0.0.1:${port}/ws`;
}
