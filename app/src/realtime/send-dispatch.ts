import type { Backplane } from '../backplane/backplane.port.js';
import { AppError } from '../errors/app-error.js';
import { reconnectHint } from '../errors/reconnect-hint.js';
import { FixedTimeout } from '../errors/fixed-timeout.js';
import type { StompFrame } from '../stomp/frame.js';
import { frameContext, type SendReply } from './app-destinations.js';
import type { Principal } from './auth/principal.js';
import type { DestinationRoutes, SendTarget } from './destination-routes.js';
import type { ServerOwnedHeaders } from './server-owned-headers.js';

/**
 * SEND routing, shared by every session of the server: a SEND's destination is resolved once
 * into a SendTarget (route, params), which is all the rest of the path reads; the frame goes to
 * its /app handler or straight to a client topic; the result is a SendReply for the session to
 * apply (RECEIPT headers, a renewed principal). Nothing here touches a session.
 */
export class SendDispatch {
  private readonly sendTimeout: FixedTimeout;

  constructor(
    private readonly routes: DestinationRoutes,
    private readonly backplane: Backplane,
    private readonly serverOwned: ServerOwnedHeaders,
    sendTimeoutMs: number,
  ) {
    this.sendTimeout = new FixedTimeout(sendTimeoutMs);
  }

  /** Whether sessions gain by keeping several SENDs in flight (send-pipeline.ts). */
  get pipelines(): boolean {
    return this.backplane.ordersBeforeDone === true;
  }

  /** Parses the destination: the one time on this SEND's path (refuses unknown and invalid ones). */
  resolve(destination: string): SendTarget {
    return this.routes.resolveSend(destination);
  }

  /**
   * Carries out a SEND (now, or at COMMIT) within the send timeout, so a dependency that hangs
   * holds this session's later frames no longer than that (other sessions never wait on it).
   * Resolves once the backplane or the handler accepted it, with what the session should apply.
   * `principal` is the sender's as of this frame. `onOrdered`, if given, is called when a SEND to
   * a client topic has its place in the topic's order before it is done (PublishOptions.onOrdered).
   */
  carryOut(
    frame: StompFrame,
    target: SendTarget,
    principal: Principal,
    sessionId: string,
    onOrdered?: () => void,
  ): Promise<SendReply | void> {
    return this.sendTimeout.bound(this.route(frame, target, principal, sessionId, onOrdered), this.timedOut);
  }

  private readonly timedOut = (): AppError =>
    new AppError(
      'SEND_TIMEOUT',
      `the SEND was not done within ${this.sendTimeout.ms} ms; retry shortly`,
      reconnectHint(),
    );

  private async route(
    frame: StompFrame,
    target: SendTarget,
    principal: Principal,
    sessionId: string,
    onOrdered: (() => void) | undefined,
  ): Promise<SendReply | void> {
    const context = frameContext('SEND', principal, sessionId, target.destination, target.params, frame);
    if (target.kind === 'app') return target.handler(context);
    const topic = target.topic;
    if (frame.body.length > topic.maxBodyBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `bodies sent to this topic are limited to ${topic.maxBodyBytes} bytes`);
    }
    await topic.authorize(context);
    const published = await this.backplane.publish(
      {
        destination: target.destination,
        headers: this.userHeaders(frame),
        body: frame.body,
        ephemeral: topic.ephemeral ? true : undefined,
      },
      onOrdered === undefined ? topic.publishOptions : { ...topic.publishOptions, onOrdered, orderGroup: sessionId },
    );
    return published.seq > 0 ? { receiptHeaders: [['x-seq', String(published.seq)]] } : undefined;
  }

  /** The SEND headers that travel on to MESSAGE frames: content-type and the client's own. */
  private userHeaders(frame: StompFrame): Array<[string, string]> {
    const headers: Array<[string, string]> = [];
    for (const [name, value] of frame.headers) {
      if (this.serverOwned.has(name)) continue;
      // STOMP allows NUL inside a header value, but naive client parsers split frames on it.
      if (value.includes('\0') || name.includes('\0')) {
        throw new AppError('PROTOCOL_BAD_HEADER', `header '${name.replace(/\0/g, '')}' contains a NUL byte`);
      }
      headers.push([name, value]);
    }
    return headers;
  }
}
