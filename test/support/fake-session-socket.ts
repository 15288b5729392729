import type { StompFrame } from '../../app/src/stomp/frame.js';
import { StompParser } from '../../app/src/stomp/parser.js';
import type { SessionSocket } from '../../app/src/realtime/session-socket.js';

/** An in-memory SessionSocket that parses what the session writes back into frames. */
export class FakeSessionSocket implements SessionSocket {
  readonly frames: StompFrame[] = [];
  heartbeats = 0;
  pings = 0;
  bufferedAmount = 0;
  closedWith: { code: number; reason: string } | undefined;
  readonly textFlags: boolean[] = [];
  private readonly parser = new StompParser(
    { onFrame: (frame) => this.frames.push(frame), onHeartbeat: () => this.heartbeats++ },
    { maxFrameBytes: 1 << 24, maxBodyBytes: 1 << 24 },
  );

  send(data: Buffer, text: boolean): void {
    if (this.closedWith !== undefined) throw new Error('send after close');
    this.textFlags.push(text);
    this.parser.push(data);
  }

  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }

  ping(): void {
    this.pings++;
  }

  /** Frames of one command, in order. */
  of(command: string): StompFrame[] {
    return this.frames.filter((frame) => frame.command === command);
  }

  last(): StompFrame | undefined {
    return this.frames.at(-1);
  }
}
