import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { callApi, signUp } from '../support/rest-client.js';
import { connectStomp, Inbox } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Shutdown and restart of the embedded default: whatever was sent up to app.close() is in the
 * store afterwards (the loop or the drain's flush wrote it), and the restarted service, whose
 * in-process replay log starts empty, serves that history from the store.
 */
describe('history across a restart of the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-restart-'));
  const env = {
    DATA_DIR: dataDir,
    JWT_SECRET: 'restart-secret-restart-secret-0123456789',
    STOMP_USER_SEND_RATE_PER_SECOND: '10000',
    STOMP_USER_SEND_BURST: '10000',
    STOMP_SEND_RATE_PER_SECOND: '10000',
    STOMP_SEND_BURST: '10000',
  };
  let server: RunningApp | undefined;

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (method: string, path: string, token?: string, body?: unknown) =>
    callApi(server!.httpUrl, method, path, body, token);

  it('stores everything sent before shutdown and serves it from the store afterwards', async () => {
    server = await startTestApp(env);
    const { token } = await signUp(server.httpUrl, 'restart_ann');
    const room = (await api('POST', '/rooms', token, { kind: 'private', name: 'restart' })).body.id as string;
    const client = await connectStomp(server.wsUrl, { Authorization: `Bearer ${token}` });
    const inbox = new Inbox();
    await new Promise<void>((resolve) => {
      client.watchForReceipt('sub', () => resolve());
      client.subscribe(`/topic/rooms.${room}`, inbox.push, { receipt: 'sub' });
    });
    for (let i = 1; i <= 300; i++) client.publish({ destination: `/app/rooms.${room}`, body: `before restart ${i}` });
    await inbox.waitFor(300, 20_000);
    await client.deactivate();
    await server.close(); // the drain's flush runs here
    server = undefined;

    server = await startTestApp(env);
    const seqs: number[] = [];
    let before: number | null = null;
    do {
      const page = await api(
        'GET',
        `/rooms/${room}/messages?limit=200${before === null ? '' : `&before=${before}`}`,
        token,
      );
      expect(page.status).toBe(200);
      seqs.push(...page.body.messages.map((message: { seq: number }) => message.seq));
      before = page.body.nextBefore;
    } while (before !== null);
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => 300 - i));
    const newest = await api('GET', `/rooms/${room}/messages?limit=1`, token);
    expect(newest.body.messages[0]).toMatchObject({ seq: 300, body: 'before restart 300', sender: 'restart_ann' });

    // The restarted in-process backplane lost its counters: the room continues above the store.
    const again = await connectStomp(server.wsUrl, { Authorization: `Bearer ${token}` });
    const live = new Inbox();
    await new Promise<void>((resolve) => {
      again.watchForReceipt('sub2', () => resolve());
      again.subscribe(`/topic/rooms.${room}`, live.push, { receipt: 'sub2' });
    });
    again.publish({ destination: `/app/rooms.${room}`, body: 'after restart' });
    const [afterRestart] = await live.waitFor(1);
    expect(afterRestart!.headers['x-seq']).toBe('301');
    await again.deactivate();
    await server.close(); // flushes the new message
    server = await startTestApp(env);
    const latest = await api('GET', `/rooms/${room}/messages?limit=2`, token);
    expect(latest.body.messages.map((m: { seq: number; body: string }) => [m.seq, m.body])).toEqual([
      [301, 'after restart'],
      [300, 'before restart 300'],
    ]);
  });
});
