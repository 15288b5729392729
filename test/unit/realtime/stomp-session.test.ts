import { describe, expect, it } from '@jest/globals';
import { RoomMessageHandler } from '../../../app/src/messages/room-message.handler.js';
import { type Client, SessionHarness } from '../../support/session-harness.js';

/** SUBSCRIBE to /topic/a as subscription 1, in an acknowledging mode. */
const subscribeWithAck = (client: Client, ack: 'client' | 'client-individual') =>
  client.send('SUBSCRIBE', [
    ['id', '1'],
    ['destination', '/topic/a'],
    ['ack', ack],
  ]);

describe('StompSession: connecting', () => {
  it('answers CONNECT with CONNECTED carrying version, heart-beat, server, session and user-name', async () => {
    const harness = new SessionHarness();
    const client = await harness.connected('alice');
    const connected = client.socket.of('CONNECTED')[0]!;
    expect(connected.headers.get('version')).toBe('1.2');
    expect(connected.headers.get('heart-beat')).toBe('10000,10000');
    expect(connected.headers.get('server')).toMatch(/^stomp-chat/);
    expect(connected.headers.get('session')).toBe(client.session.id);
    expect(connected.headers.get('user-name')).toBe('alice');
  });

  it('accepts the STOMP command as CONNECT and negotiates the highest common version', async () => {
    const harness = new SessionHarness();
    const { session, socket } = harness.open();
    session.receive(Buffer.from('STOMP\naccept-version:1.0,1.1\nlogin:bob\n\n\0'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.of('CONNECTED')[0]?.headers.get('version')).toBe('1.1');
  });

  it.each([
    ['no common version', 'CONNECT\naccept-version:2.0\nlogin:a\n\n\0', 'PROTOCOL_VERSION_UNSUPPORTED', 1002],
    ['no login for the dev authenticator', 'CONNECT\naccept-version:1.2\n\n\0', 'AUTH_REQUIRED', 1008],
    ['a frame before CONNECT', 'SEND\ndestination:/topic/a\n\n\0', 'PROTOCOL_NOT_CONNECTED', 1002],
    ['an unknown command', 'HELLO\n\n\0', 'STOMP_BAD_COMMAND', 1002],
    [
      'a malformed heart-beat',
      'CONNECT\naccept-version:1.2\nlogin:a\nheart-beat:x\n\n\0',
      'STOMP_MALFORMED_HEADER',
      1002,
    ],
  ])('refuses %s with ERROR then close', async (_name, bytes, code, closeCode) => {
    const harness = new SessionHarness();
    const { session, socket } = harness.open();
    session.receive(Buffer.from(bytes));
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(socket.of('ERROR')[0]?.headers.get('code')).toBe(code);
    expect(socket.of('ERROR')[0]?.headers.get('message')).toBeTruthy();
    expect(socket.closedWith?.code).toBe(closeCode);
    expect(session.isOpen).toBe(false);
  });

  it('refuses a second CONNECT', async () => {
    const client = await new SessionHarness().connected();
    await client.send('CONNECT', [
      ['accept-version', '1.2'],
      ['login', 'a'],
      ['receipt', 'r1'],
    ]);
    expect(client.error).toEqual({ code: 'PROTOCOL_ALREADY_CONNECTED', message: expect.any(String), receiptId: 'r1' });
    expect(client.socket.closedWith).toBeDefined();
  });

  it('refuses server frames sent by a client', async () => {
    const client = await new SessionHarness().connected();
    await client.send('MESSAGE', [['destination', '/topic/a']]);
    expect(client.error.code).toBe('PROTOCOL_UNEXPECTED_FRAME');
  });

  it('limits connections per user', async () => {
    const harness = new SessionHarness({ STOMP_MAX_CONNECTIONS_PER_USER: '1' });
    await harness.connected('carol');
    const { session, socket } = harness.open();
    session.receive(Buffer.from('CONNECT\naccept-version:1.2\nlogin:carol\n\n\0'));
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(socket.of('ERROR')[0]?.headers.get('code')).toBe('LIMIT_CONNECTIONS');
  });
});

describe('StompSession: subscribe, send, receive', () => {
  it('delivers a SEND to every subscriber with destination, ids, content headers and user headers', async () => {
    const harness = new SessionHarness();
    const alice = await harness.connected('alice');
    const bob = await harness.connected('bob');
    await alice.send('SUBSCRIBE', [
      ['id', 's1'],
      ['destination', '/topic/chat'],
      ['receipt', 'sub-1'],
    ]);
    await bob.send('SUBSCRIBE', [
      ['id', 'b7'],
      ['destination', '/topic/chat'],
    ]);
    expect(alice.socket.of('RECEIPT')[0]?.headers.get('receipt-id')).toBe('sub-1');

    await bob.send(
      'SEND',
      [
        ['destination', '/topic/chat'],
        ['content-type', 'text/plain'],
        ['x-mood', 'happy'],
        ['x-seq', 'forged'],
        ['receipt', 'snd-1'],
      ],
      'hello',
    );
    const [toAlice] = alice.socket.of('MESSAGE');
    const [toBob] = bob.socket.of('MESSAGE');
    expect(toAlice?.headers.get('subscription')).toBe('s1');
    expect(toBob?.headers.get('subscription')).toBe('b7');
    for (const message of [toAlice!, toBob!]) {
      expect(message.headers.get('destination')).toBe('/topic/chat');
      expect(message.headers.get('message-id')).toBe(toAlice!.headers.get('message-id'));
      expect(message.headers.get('content-type')).toBe('text/plain');
      expect(message.headers.get('content-length')).toBe('5');
      expect(message.headers.get('x-mood')).toBe('happy');
      expect(message.headers.get('x-seq')).toBe('1');
      expect(message.headers.has('ack')).toBe(false);
      expect(message.body.toString()).toBe('hello');
    }
    expect(bob.socket.of('RECEIPT').map((f) => f.headers.get('receipt-id'))).toContain('snd-1');
  });

  it('strips every server-owned header from a SEND, whatever its case', async () => {
    const harness = new SessionHarness();
    const alice = await harness.connected('alice');
    const mallory = await harness.connected('mallory');
    await alice.send('SUBSCRIBE', [
      ['id', 's1'],
      ['destination', '/topic/chat'],
    ]);
    const forged: Array<[string, string]> = [
      ['X-Sender', 'alice'],
      ['x-sender-id', 'u-alice'],
      ['X-EVENT', 'delete'],
      ['x-replayed', 'true'],
      ['X-Replay', 'complete'],
      ['X-Seq', '999'],
      ['x-server-ts', '1970-01-01T00:00:00Z'],
      ['X-Target-Seq', '1'],
    ];
    await mallory.send('SEND', [['destination', '/topic/chat'], ['x-mood', 'sly'], ...forged], 'hi');
    const [message] = alice.socket.of('MESSAGE');
    const names = [...message!.headers.keys()].map((name) => name.toLowerCase());
    expect(names).toContain('x-mood');
    expect(names.filter((name) => name === 'x-seq')).toHaveLength(1);
    expect(message!.headers.get('x-seq')).toBe('1');
    for (const [name] of forged.filter(([n]) => n.toLowerCase() !== 'x-seq'))
      expect(names).not.toContain(name.toLowerCase());
  });

  it('keeps NUL bytes of a content-length body intact end to end', async () => {
    const harness = new SessionHarness();
    const alice = await harness.connected();
    await alice.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/bin'],
    ]);
    const body = Buffer.from([0, 1, 0, 255, 0]);
    await alice.send('SEND', [['destination', '/topic/bin']], body);
    const message = alice.socket.of('MESSAGE')[0]!;
    expect(Buffer.compare(message.body, body)).toBe(0);
    expect(alice.socket.textFlags.at(-1)).toBe(false); // invalid UTF-8 goes as a binary message
  });

  it('stops delivering after UNSUBSCRIBE and releases the destination', async () => {
    const harness = new SessionHarness();
    const alice = await harness.connected();
    await alice.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/a'],
    ]);
    await alice.send('UNSUBSCRIBE', [
      ['id', '1'],
      ['receipt', 'u'],
    ]);
    await alice.send('SEND', [['destination', '/topic/a']], 'x');
    expect(alice.socket.of('MESSAGE')).toHaveLength(0);
    expect(alice.socket.of('RECEIPT').map((f) => f.headers.get('receipt-id'))).toContain('u');
    expect(harness.context.fanout.localCount('/topic/a')).toBe(0);
  });

  it('releases subscriptions when the socket closes', async () => {
    const harness = new SessionHarness();
    const alice = await harness.connected();
    await alice.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/a'],
    ]);
    alice.session.closed();
    expect(harness.context.fanout.localCount('/topic/a')).toBe(0);
    expect(harness.context.registry.size).toBe(0);
  });

  it('routes /app/rooms.{id} to the room handler, which stamps the sender and drops client retries', async () => {
    const harness = new SessionHarness();
    harness.context.routes.send('/app/rooms.{roomId}', new RoomMessageHandler(harness.backplane).handle);
    const alice = await harness.connected('alice');
    await alice.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/rooms.r1'],
    ]);
    const send = () =>
      alice.send(
        'SEND',
        [
          ['destination', '/app/rooms.r1'],
          ['x-client-msg-id', 'c-1'],
          ['x-sender', 'mallory'],
        ],
        'hi',
      );
    await send();
    await send();
    const messages = alice.socket.of('MESSAGE');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.headers.get('x-sender')).toBe('alice');
    expect(messages[0]!.headers.get('x-sender-id')).toBe('dev:alice');
    expect(messages[0]!.headers.get('x-client-msg-id')).toBe('c-1');
    expect(Number.isNaN(Date.parse(messages[0]!.headers.get('x-server-ts')!))).toBe(false);
  });

  it.each([
    ['SUBSCRIBE without id', 'SUBSCRIBE', [['destination', '/topic/a']], 'PROTOCOL_MISSING_HEADER'],
    ['SUBSCRIBE without destination', 'SUBSCRIBE', [['id', '1']], 'PROTOCOL_MISSING_HEADER'],
    [
      'SUBSCRIBE with a bad ack mode',
      'SUBSCRIBE',
      [
        ['id', '1'],
        ['destination', '/topic/a'],
        ['ack', 'sometimes'],
      ],
      'PROTOCOL_BAD_HEADER',
    ],
    [
      'SUBSCRIBE to an unknown prefix',
      'SUBSCRIBE',
      [
        ['id', '1'],
        ['destination', '/queue/a'],
      ],
      'DESTINATION_UNKNOWN',
    ],
    [
      'SUBSCRIBE to /app',
      'SUBSCRIBE',
      [
        ['id', '1'],
        ['destination', '/app/x'],
      ],
      'DESTINATION_INVALID',
    ],
    [
      'SUBSCRIBE to a destination with spaces',
      'SUBSCRIBE',
      [
        ['id', '1'],
        ['destination', '/topic/a b'],
      ],
      'DESTINATION_INVALID',
    ],
    ['SEND without destination', 'SEND', [], 'PROTOCOL_MISSING_HEADER'],
    ['SEND to an unknown prefix', 'SEND', [['destination', '/exchange/x']], 'DESTINATION_UNKNOWN'],
    [
      'SEND to an /app destination with no handler',
      'SEND',
      [['destination', '/app/nothing.here']],
      'DESTINATION_UNKNOWN',
    ],
    ['UNSUBSCRIBE of an unknown id', 'UNSUBSCRIBE', [['id', 'nope']], 'PROTOCOL_UNKNOWN_SUBSCRIPTION'],
    ['ACK of an unknown id', 'ACK', [['id', '42']], 'PROTOCOL_UNKNOWN_ACK'],
    ['ACK without id', 'ACK', [], 'PROTOCOL_MISSING_HEADER'],
    ['COMMIT of an unknown transaction', 'COMMIT', [['transaction', 't9']], 'PROTOCOL_UNKNOWN_TRANSACTION'],
    ['ABORT of an unknown transaction', 'ABORT', [['transaction', 't9']], 'PROTOCOL_UNKNOWN_TRANSACTION'],
    ['BEGIN without transaction', 'BEGIN', [], 'PROTOCOL_MISSING_HEADER'],
    [
      'SEND in an unknown transaction',
      'SEND',
      [
        ['destination', '/topic/a'],
        ['transaction', 't9'],
      ],
      'PROTOCOL_UNKNOWN_TRANSACTION',
    ],
  ] as const)('%s → ERROR with receipt-id, then close', async (_name, command, headers, code) => {
    const client = await new SessionHarness().connected();
    await client.send(command, [...headers.map(([k, v]) => [k, v] as [string, string]), ['receipt', 'r-x']]);
    expect(client.error.code).toBe(code);
    expect(client.error.receiptId).toBe('r-x');
    expect(client.socket.closedWith).toBeDefined();
    expect(client.session.isOpen).toBe(false);
  });

  it('refuses a SEND header carrying a NUL byte, which naive client parsers would split on', async () => {
    const client = await new SessionHarness().connected();
    await client.raw('SEND\ndestination:/topic/a\nx-evil:a\u0000b\ncontent-length:1\n\nx\0');
    expect(client.error.code).toBe('PROTOCOL_BAD_HEADER');
  });

  it('refuses a duplicate subscription id', async () => {
    const client = await new SessionHarness().connected();
    await client.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/a'],
    ]);
    await client.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/b'],
    ]);
    expect(client.error.code).toBe('PROTOCOL_DUPLICATE_SUBSCRIPTION');
  });

  it('refuses what the authorizer refuses', async () => {
    const harness = new SessionHarness();
    harness.authorizer.forbidden.add('/topic/secret');
    const client = await harness.connected();
    await client.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/secret'],
    ]);
    expect(client.error.code).toBe('AUTH_FORBIDDEN');
    expect(harness.context.fanout.localCount('/topic/secret')).toBe(0);
  });
});

describe('StompSession: acknowledgements', () => {
  it('client-individual: MESSAGE carries ack; ACK releases exactly that message', async () => {
    const harness = new SessionHarness({ STOMP_MAX_UNACKED: '2' });
    const client = await harness.connected();
    await subscribeWithAck(client, 'client-individual');
    await client.send('SEND', [['destination', '/topic/a']], 'm1');
    await client.send('SEND', [['destination', '/topic/a']], 'm2');
    const [m1, m2] = client.socket.of('MESSAGE');
    expect(m1!.headers.get('ack')).toBeTruthy();
    await client.send('ACK', [
      ['id', m2!.headers.get('ack')!],
      ['receipt', 'a2'],
    ]);
    expect(client.socket.of('RECEIPT').map((f) => f.headers.get('receipt-id'))).toContain('a2');
    await client.send('SEND', [['destination', '/topic/a']], 'm3'); // m1 + m3 unacked: at the limit
    expect(client.session.isOpen).toBe(true);
    await client.send('SEND', [['destination', '/topic/a']], 'm4'); // m1 was never acked: over the limit
    expect(client.error.code).toBe('LIMIT_UNACKED');
  });

  it('client mode is cumulative: one ACK releases every earlier message of the subscription', async () => {
    const harness = new SessionHarness({ STOMP_MAX_UNACKED: '2' });
    const client = await harness.connected();
    await subscribeWithAck(client, 'client');
    await client.send('SEND', [['destination', '/topic/a']], 'm1');
    await client.send('SEND', [['destination', '/topic/a']], 'm2');
    const m2 = client.socket.of('MESSAGE')[1]!;
    await client.send('ACK', [['id', m2.headers.get('ack')!]]);
    await client.send('SEND', [['destination', '/topic/a']], 'm3');
    await client.send('SEND', [['destination', '/topic/a']], 'm4');
    expect(client.session.isOpen).toBe(true);
    // m1 was released by the cumulative ACK of m2, so acking it again is an error.
    await client.send('ACK', [['id', client.socket.of('MESSAGE')[0]!.headers.get('ack')!]]);
    expect(client.error.code).toBe('PROTOCOL_UNKNOWN_ACK');
  });

  it('NACK releases the message without redelivery', async () => {
    const client = await new SessionHarness().connected();
    await subscribeWithAck(client, 'client-individual');
    await client.send('SEND', [['destination', '/topic/a']], 'm1');
    const ackId = client.socket.of('MESSAGE')[0]!.headers.get('ack')!;
    await client.send('NACK', [
      ['id', ackId],
      ['receipt', 'n'],
    ]);
    expect(client.socket.of('MESSAGE')).toHaveLength(1);
    await client.send('ACK', [['id', ackId]]);
    expect(client.error.code).toBe('PROTOCOL_UNKNOWN_ACK');
  });

  it('STOMP 1.1 acknowledges by message-id and subscription', async () => {
    const harness = new SessionHarness();
    const { session, socket } = harness.open();
    session.receive(Buffer.from('CONNECT\naccept-version:1.1\nlogin:old\n\n\0'));
    session.receive(Buffer.from('SUBSCRIBE\nid:s\ndestination:/topic/a\nack:client\n\n\0'));
    session.receive(Buffer.from('SEND\ndestination:/topic/a\n\nx\0'));
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    const message = socket.of('MESSAGE')[0]!;
    expect(message.headers.has('ack')).toBe(false);
    session.receive(
      Buffer.from(`ACK\nsubscription:s\nmessage-id:${message.headers.get('message-id')}\nreceipt:k\n\n\0`),
    );
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(socket.of('RECEIPT').map((f) => f.headers.get('receipt-id'))).toContain('k');
    expect(session.isOpen).toBe(true);
  });
});

describe('StompSession: transactions', () => {
  const subscribeToT = (client: Client) =>
    client.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/t'],
    ]);
  const sendInTx = (client: Client, body: string) =>
    client.send(
      'SEND',
      [
        ['destination', '/topic/t'],
        ['transaction', 'tx'],
      ],
      body,
    );

  it('holds SENDs until COMMIT and applies them in order', async () => {
    const client = await new SessionHarness().connected();
    await subscribeToT(client);
    await client.send('BEGIN', [['transaction', 'tx']]);
    await sendInTx(client, 'one');
    await sendInTx(client, 'two');
    expect(client.socket.of('MESSAGE')).toHaveLength(0);
    await client.send('COMMIT', [
      ['transaction', 'tx'],
      ['receipt', 'c'],
    ]);
    expect(client.socket.of('MESSAGE').map((m) => m.body.toString())).toEqual(['one', 'two']);
    expect(client.socket.last()?.command).toBe('RECEIPT');
  });

  it('drops held SENDs on ABORT, and the transaction id is gone afterwards', async () => {
    const client = await new SessionHarness().connected();
    await subscribeToT(client);
    await client.send('BEGIN', [['transaction', 'tx']]);
    await sendInTx(client, 'one');
    await client.send('ABORT', [['transaction', 'tx']]);
    expect(client.socket.of('MESSAGE')).toHaveLength(0);
    await client.send('COMMIT', [['transaction', 'tx']]);
    expect(client.error.code).toBe('PROTOCOL_UNKNOWN_TRANSACTION');
  });

  it('applies ACKs held in a transaction at COMMIT', async () => {
    const harness = new SessionHarness({ STOMP_MAX_UNACKED: '1' });
    const client = await harness.connected();
    await subscribeWithAck(client, 'client-individual');
    await client.send('SEND', [['destination', '/topic/a']], 'm1');
    await client.send('BEGIN', [['transaction', 'tx']]);
    await client.send('ACK', [
      ['id', client.socket.of('MESSAGE')[0]!.headers.get('ack')!],
      ['transaction', 'tx'],
    ]);
    await client.send('COMMIT', [['transaction', 'tx']]);
    await client.send('SEND', [['destination', '/topic/a']], 'm2'); // fits only if m1 was released
    expect(client.session.isOpen).toBe(true);
  });

  it('refuses a second BEGIN of an open transaction', async () => {
    const client = await new SessionHarness().connected();
    await client.send('BEGIN', [['transaction', 'tx']]);
    await client.send('BEGIN', [['transaction', 'tx']]);
    expect(client.error.code).toBe('PROTOCOL_DUPLICATE_TRANSACTION');
  });
});

describe('StompSession: disconnect, limits and heart-beats', () => {
  it('DISCONNECT with receipt answers RECEIPT, then closes normally', async () => {
    const client = await new SessionHarness().connected();
    await client.send('DISCONNECT', [['receipt', 'bye']]);
    expect(client.socket.last()?.command).toBe('RECEIPT');
    expect(client.socket.last()?.headers.get('receipt-id')).toBe('bye');
    expect(client.socket.closedWith?.code).toBe(1000);
  });

  it('limits subscriptions per connection', async () => {
    const client = await new SessionHarness({ STOMP_MAX_SUBSCRIPTIONS: '2' }).connected();
    for (const id of ['1', '2', '3'])
      await client.send('SUBSCRIBE', [
        ['id', id],
        ['destination', `/topic/${id}`],
      ]);
    expect(client.error.code).toBe('LIMIT_SUBSCRIPTIONS');
  });

  it('limits the send rate per connection', async () => {
    const harness = new SessionHarness({ STOMP_SEND_RATE_PER_SECOND: '1', STOMP_SEND_BURST: '2' });
    const client = await harness.connected();
    for (let i = 0; i < 3; i++) await client.send('SEND', [['destination', '/topic/a']], 'x');
    expect(client.error.code).toBe('LIMIT_SEND_RATE');
  });

  it('refuses frames over the size limit', async () => {
    const client = await new SessionHarness({ STOMP_MAX_FRAME_BYTES: '1024', STOMP_MAX_BODY_BYTES: '512' }).connected();
    await client.send('SEND', [['destination', '/topic/a']], 'x'.repeat(600));
    expect(client.error.code).toBe('STOMP_BODY_TOO_LARGE');
    expect(client.socket.closedWith?.code).toBe(1009);
  });

  it('closes a slow consumer whose outbound buffer is over the bound', async () => {
    const harness = new SessionHarness({ STOMP_MAX_OUTBOUND_BUFFER_BYTES: '4096' });
    const reader = await harness.connected('slow');
    const writer = await harness.connected('fast');
    await reader.send('SUBSCRIBE', [
      ['id', '1'],
      ['destination', '/topic/a'],
    ]);
    reader.socket.bufferedAmount = 4_000; // the network is not draining
    await writer.send('SEND', [['destination', '/topic/a']], 'y'.repeat(200));
    expect(reader.error.code).toBe('LIMIT_SLOW_CONSUMER');
    expect(writer.session.isOpen).toBe(true);
  });

  it('sends heart-beats when due and drops a client that went silent', async () => {
    const harness = new SessionHarness({ STOMP_HEARTBEAT_SEND_MS: '100', STOMP_HEARTBEAT_RECEIVE_MS: '100' });
    const client = await harness.connected('beat', [['heart-beat', '100,100']]);
    harness.clock = 150;
    client.session.checkLiveness(harness.clock, 25);
    expect(client.socket.heartbeats).toBeGreaterThanOrEqual(1);
    await client.raw('\n'); // the client's own beat keeps it alive
    harness.clock = 300;
    client.session.checkLiveness(harness.clock, 25);
    expect(client.session.isOpen).toBe(true);
    harness.clock = 600; // silent for 300 ms > 100 ms × tolerance 2
    client.session.checkLiveness(harness.clock, 25);
    expect(client.error.code).toBe('LIMIT_HEARTBEAT_TIMEOUT');
  });

  it('ends a session whose started frame is not finished in time, even with heart-beats off', async () => {
    const harness = new SessionHarness({ STOMP_FRAME_COMPLETION_TIMEOUT_MS: '1000' });
    const client = await harness.connected('slowloris');
    await client.raw('SEND\ndestination:/topic/a\n\nhal');
    harness.clock = 900;
    await client.raw('f a bo'); // more bytes of the same frame do not restart its clock
    client.session.checkLiveness(harness.clock, 25);
    expect(client.session.isOpen).toBe(true);
    harness.clock = 1_100;
    client.session.checkLiveness(harness.clock, 25);
    expect(client.error.code).toBe('LIMIT_FRAME_TIMEOUT');
  });

  it('does not time out a session that finishes its frames, however long it stays idle', async () => {
    const harness = new SessionHarness({ STOMP_FRAME_COMPLETION_TIMEOUT_MS: '1000' });
    const client = await harness.connected('patient');
    await client.raw('SEND\ndestination:/topic/a\n\nhalf');
    harness.clock = 500;
    await client.raw('\0');
    harness.clock = 60_000;
    client.session.checkLiveness(harness.clock, 25);
    expect(client.session.isOpen).toBe(true);
  });

  it('does not expect beats from a client that offered none', async () => {
    const harness = new SessionHarness({ STOMP_HEARTBEAT_SEND_MS: '100', STOMP_HEARTBEAT_RECEIVE_MS: '100' });
    const client = await harness.connected('quiet', [['heart-beat', '0,0']]);
    harness.clock = 10_000;
    client.session.checkLiveness(harness.clock, 25);
    expect(client.session.isOpen).toBe(true);
    expect(client.socket.heartbeats).toBe(0);
  });

  it('closes a socket that never sends CONNECT', async () => {
    const harness = new SessionHarness({ STOMP_CONNECT_TIMEOUT_MS: '500' });
    const { session, socket } = harness.open();
    harness.clock = 600;
    session.checkLiveness(harness.clock, 25);
    expect(socket.of('ERROR')[0]?.headers.get('code')).toBe('LIMIT_CONNECT_TIMEOUT');
  });

  it('pings the WebSocket on the configured interval', async () => {
    const harness = new SessionHarness({ WS_PING_INTERVAL_MS: '1000' });
    const client = await harness.connected();
    harness.clock = 1_000;
    client.session.checkLiveness(harness.clock, 25);
    expect(client.socket.pings).toBe(1);
  });
});

describe('StompSession: per-user send rate', () => {
  it('shares one budget across all connections of a user, and not across users', async () => {
    const harness = new SessionHarness({
      STOMP_USER_SEND_RATE_PER_SECOND: '1',
      STOMP_USER_SEND_BURST: '2',
      STOMP_MAX_CONNECTIONS_PER_USER: '5',
    });
    const first = await harness.connected('spammer');
    const second = await harness.connected('spammer');
    const other = await harness.connected('polite');
    await first.send('SEND', [['destination', '/topic/a']], '1');
    await second.send('SEND', [['destination', '/topic/a']], '2');
    await other.send('SEND', [['destination', '/topic/a']], 'fine');
    expect(other.session.isOpen).toBe(true);
    await second.send('SEND', [['destination', '/topic/a']], '3');
    expect(second.error.code).toBe('LIMIT_SEND_RATE');
    expect(second.error.message).toContain('from this user');
  });
});

describe('StompSession: credentials that expire', () => {
  it('closes the session with AUTH_EXPIRED once the token expires, unless renewed', async () => {
    const harness = new SessionHarness();
    const expiresAt = Date.now() + 60_000;
    (harness.context as { authenticator: unknown }).authenticator = {
      authenticate: () => Promise.resolve({ userId: 'u1', username: 'u1', expiresAt }),
    };
    const client = await harness.connected('u1');
    client.session.checkLiveness(harness.clock, 25);
    expect(client.session.isOpen).toBe(true);
    const realNow = Date.now;
    Date.now = () => expiresAt + 1;
    try {
      client.session.checkLiveness(harness.clock, 25);
    } finally {
      Date.now = realNow;
    }
    expect(client.error.code).toBe('AUTH_EXPIRED');
    expect(client.error.message).toContain('token expired');
  });
});
