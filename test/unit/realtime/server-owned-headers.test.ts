import { describe, expect, it } from '@jest/globals';
import { ROOM_RESERVED_HEADERS } from '../../../app/src/messages/room-message-wire.js';
import { ServerOwnedHeaders } from '../../../app/src/realtime/server-owned-headers.js';

describe('ServerOwnedHeaders', () => {
  it('reserves the protocol’s own names and families without any domain', () => {
    const core = new ServerOwnedHeaders({ names: [], prefixes: [] });
    for (const name of ['destination', 'Receipt', 'x-seq', 'X-Replayed', 'x-replay-anything', 'x-reconnect-after-ms'])
      expect(core.has(name)).toBe(true);
    // Domain names are the domain's to declare: the core does not know them.
    expect(core.has('x-sender')).toBe(false);
    expect(core.has('x-event')).toBe(false);
  });

  it('adds what the room domain declares, in any letter case, families included', () => {
    const headers = new ServerOwnedHeaders(ROOM_RESERVED_HEADERS);
    for (const name of [
      'X-Sender',
      'x-sender-id',
      'x-sender-avatar',
      'x-server-ts',
      'X-EVENT',
      'x-target-seq',
      'x-room-id',
    ])
      expect(headers.has(name)).toBe(true);
    for (const name of ['content-type', 'x-client-msg-id', 'x-mood']) expect(headers.has(name)).toBe(false);
  });
});
