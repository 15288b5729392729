import { createHash } from 'node:crypto';

/** Routing keys longer than this (AMQP allows 255 bytes) or holding topic wildcards are hashed. */
const MAX_PLAIN_KEY_BYTES = 200;

/**
 * Every RabbitMQ exchange, queue and routing key the backplane and the persist queue use, in one
 * place.
 *
 * Messages go to one topic exchange with the routing key `<destination>.p` (sequenced, kept) or
 * `<destination>.e` (ephemeral). The persist queue binds `#.p`, each instance binds
 * `<destination>.*` for the destinations it serves, so one publish reaches both, and the
 * publisher confirm covers the persist queue. Destination dots become topic words, which is
 * harmless: bindings are exact word lists, and receivers still check the decoded destination.
 */
export class RabbitNames {
  readonly messagesExchange: string;
  readonly controlExchange: string;
  readonly persistQueue: string;

  constructor(readonly prefix: string) {
    this.messagesExchange = `${prefix}.messages`;
    this.controlExchange = `${prefix}.control`;
    this.persistQueue = `${prefix}.persist`;
  }

  /** The binding pattern that hands every kept message to the persist queue. */
  static readonly PERSIST_BINDING = '#.p';

  /** This process's own queue: live deliveries and control events, gone with its connection. */
  instanceQueue(instanceId: string): string {
    return `${this.prefix}.instance.${instanceId}`;
  }

  routingKey(destination: string, ephemeral: boolean): string {
    return `${destinationKey(destination)}.${ephemeral ? 'e' : 'p'}`;
  }

  /** What an instance binds to receive both kinds of message of a destination. */
  destinationBinding(destination: string): string {
    return `${destinationKey(destination)}.*`;
  }
}

function destinationKey(destination: string): string {
  if (Buffer.byteLength(destination) <= MAX_PLAIN_KEY_BYTES && !/[*#]/.test(destination)) return destination;
  return `h.${createHash('sha256').update(destination).digest('base64url')}`;
}
