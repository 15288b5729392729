/**
 * Load-generating child process. It owns STOMP connections (subscribers and/or publishers)
 * and answers the orchestrator's requests over IPC. Running outside the orchestrator and
 * the server keeps client work off the server's event loop.
 */
import { runBounded, sleep, withTimeout } from './bounded.js';
import { nowMs } from './clock.js';
import { ErrorLog } from './error-log.js';
import type { LoadConnection, LoadHandlers, StompLogin } from './load-connection.js';
import { openLoadConnection } from './open-load-connection.js';
import { createLatencyHistogram, encodeHistogram } from './histogram.js';
import { decodePayloadHeader, receiptSendTimeUs } from './payload.js';
import { PublishLoop } from './publish-loop.js';
import { roomOf } from './rooms.js';
import { SequenceTracker } from './sequence-tracker.js';
import {
  isRequestMessage,
  type Commands,
  type CommandName,
  type ConnectArgs,
  type ConnectResult,
  type ErrorReport,
  type PublishArgs,
  type SubscribeArgs,
  type WindowReport,
  type WorkerMessage,
} from './worker-protocol.js';

class LoadWorker {
  private readonly subscribers: LoadConnection[] = [];
  private readonly publishers: LoadConnection[] = [];
  private readonly errors = new ErrorLog();
  /** SUBSCRIBE receipts we are waiting for, by receipt id. */
  private readonly pendingReceipts = new Map<string, () => void>();
  private publishLoop: PublishLoop | undefined;
  private firstPublisherIndex = 0;

  // Window state: counters only count while a window is open.
  private windowOpen = false;
  private windowStartMs = 0;
  private windowCpu = process.cpuUsage();
  private sent = 0;
  private delivered = 0;
  private undecodable = 0;
  private lost = 0;
  private reordered = 0;
  private receipts = 0;
  private latency = createLatencyHistogram();
  private receiptLatency = createLatencyHistogram();

  private readonly handlers: LoadHandlers = {
    onMessage: () => undefined,
    onReceipt: (receiptId, receivedAtUs) => {
      const waiter = this.pendingReceipts.get(receiptId);
      if (waiter) {
        this.pendingReceipts.delete(receiptId);
        waiter();
        return;
      }
      if (!this.windowOpen) return;
      const sentAtUs = receiptSendTimeUs(receiptId);
      if (sentAtUs === undefined) return;
      this.receipts++;
      this.receiptLatency.recordValue(Math.max(0, receivedAtUs - sentAtUs));
    },
    onServerError: (text) => {
      this.errors.errorFrames++;
      this.errors.note(text);
    },
    onUnexpectedClose: (code, reason) => {
      this.errors.unexpectedCloses++;
      this.errors.note(`connection closed by server: ${code} ${reason}`.trim());
    },
  };

  /** Handlers for one subscriber: shared counters, plus its own view of publisher sequences. */
  private subscriberHandlers(): LoadHandlers {
    const sequences = new SequenceTracker();
    return {
      ...this.handlers,
      onMessage: (body, receivedAtUs) => {
        const header = decodePayloadHeader(body);
        // Track sequences outside the window too, so the first in-window message is not a "gap".
        const skipped = header ? sequences.observe(header.publisher, header.seq) : 0;
        if (!this.windowOpen) return;
        this.delivered++;
        if (!header) {
          this.undecodable++;
          return;
        }
        if (skipped > 0) this.lost += skipped;
        else if (skipped < 0) this.reordered++;
        this.latency.recordValue(Math.max(0, receivedAtUs - header.sendTimeUs));
      },
    };
  }

  async connectSubscribers(args: SubscribeArgs): Promise<ConnectResult> {
    let unconfirmed = 0;
    const outcomes = await runBounded(args.count, args.concurrency, async (i) => {
      const index = args.firstIndex + i;
      const connection = await this.open(args, index, 'sub', this.subscriberHandlers());
      this.subscribers.push(connection);
      const destination = roomOf(args.destination, index, args.rooms);
      if (!args.confirm) {
        connection.subscribe(destination);
        return;
      }
      // A receipt proves the subscription is registered before any measured SEND goes out.
      const receiptId = `sub-${index}`;
      const confirmed = new Promise<void>((resolve) => this.pendingReceipts.set(receiptId, resolve));
      connection.subscribe(destination, receiptId);
      try {
        await withTimeout(confirmed, args.timeoutMs, 'no RECEIPT for SUBSCRIBE');
      } catch {
        this.pendingReceipts.delete(receiptId);
        unconfirmed++;
      }
    });
    this.errors.unconfirmedSubscriptions += unconfirmed;
    return this.tally(outcomes, unconfirmed);
  }

  async connectPublishers(args: ConnectArgs): Promise<ConnectResult> {
    this.firstPublisherIndex = args.firstIndex;
    const opened: (LoadConnection | undefined)[] = new Array(args.count);
    const outcomes = await runBounded(args.count, args.concurrency, async (i) => {
      opened[i] = await this.open(args, args.firstIndex + i, 'pub', this.handlers);
    });
    // Keep publisher order stable so publisher indexes in payloads match logins.
    for (const connection of opened) if (connection) this.publishers.push(connection);
    return this.tally(outcomes, 0);
  }

  startPublishing(args: PublishArgs): null {
    this.publishLoop?.stop();
    this.publishLoop = new PublishLoop(this.publishers, this.firstPublisherIndex, args, () => {
      if (this.windowOpen) this.sent++;
    });
    this.publishLoop.start();
    return null;
  }

  stopPublishing(): null {
    this.publishLoop?.stop();
    return null;
  }

  startWindow(): null {
    this.sent = 0;
    this.delivered = 0;
    this.undecodable = 0;
    this.lost = 0;
    this.reordered = 0;
    this.receipts = 0;
    this.latency = createLatencyHistogram();
    this.receiptLatency = createLatencyHistogram();
    this.publishLoop?.resetLag();
    this.windowStartMs = nowMs();
    this.windowCpu = process.cpuUsage();
    this.windowOpen = true;
    return null;
  }

  endWindow(): WindowReport {
    this.windowOpen = false;
    const cpu = process.cpuUsage(this.windowCpu);
    return {
      cpuUs: cpu.user + cpu.system,
      elapsedMs: nowMs() - this.windowStartMs,
      sent: this.sent,
      delivered: this.delivered,
      undecodable: this.undecodable,
      lost: this.lost,
      reordered: this.reordered,
      receipts: this.receipts,
      latencyHistogram: encodeHistogram(this.latency),
      receiptHistogram: encodeHistogram(this.receiptLatency),
      publisherMaxLagMs: this.publishLoop?.maxLagMs ?? 0,
    };
  }

  errorReport(): ErrorReport {
    return {
      connectFailures: this.errors.connectFailures,
      unconfirmedSubscriptions: this.errors.unconfirmedSubscriptions,
      errorFrames: this.errors.errorFrames,
      unexpectedCloses: this.errors.unexpectedCloses,
      samples: this.errors.samples,
    };
  }

  async closeAll(timeoutMs: number): Promise<null> {
    this.publishLoop?.stop();
    const all = [...this.subscribers, ...this.publishers];
    this.subscribers.length = 0;
    this.publishers.length = 0;
    const graceful = runBounded(all.length, 500, (i) => all[i]!.close());
    // Whatever has not closed by the deadline is cut, so the worker never hangs here.
    await Promise.race([graceful, sleep(timeoutMs)]);
    for (const connection of all) connection.terminate();
    return null;
  }

  private async open(args: ConnectArgs, index: number, role: string, handlers: LoadHandlers): Promise<LoadConnection> {
    const url = args.urls[index % args.urls.length]!;
    // One login per connection (the service caps connections per user), unless a broker account is given.
    const login: StompLogin = args.sharedLogin ?? {
      login: `bench-${role}-${index}`,
      passcode: 'bench',
      host: '127.0.0.1',
    };
    try {
      return await openLoadConnection(args.protocol, url, login, handlers, args.timeoutMs);
    } catch (error) {
      this.errors.connectFailures++;
      this.errors.note(`${role} ${index}: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  private tally(outcomes: PromiseSettledResult<unknown>[], unconfirmed: number): ConnectResult {
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected').length;
    return { connected: outcomes.length - failed, failed, unconfirmed };
  }
}

const worker = new LoadWorker();

async function handle<K extends CommandName>(command: K, args: Commands[K][0]): Promise<Commands[K][1]> {
  // Each branch returns the result type of its command; the casts only restate that mapping.
  switch (command) {
    case 'connectSubscribers':
      return (await worker.connectSubscribers(args as SubscribeArgs)) as Commands[K][1];
    case 'connectPublishers':
      return (await worker.connectPublishers(args as ConnectArgs)) as Commands[K][1];
    case 'startPublishing':
      return worker.startPublishing(args as PublishArgs) as Commands[K][1];
    case 'stopPublishing':
      return worker.stopPublishing() as Commands[K][1];
    case 'startWindow':
      return worker.startWindow() as Commands[K][1];
    case 'endWindow':
      return worker.endWindow() as Commands[K][1];
    case 'errors':
      return worker.errorReport() as Commands[K][1];
    case 'closeAll':
      return (await worker.closeAll((args as { timeoutMs: number }).timeoutMs)) as Commands[K][1];
    default:
      throw new Error(`unknown command ${String(command)}`);
  }
}

function reply(message: WorkerMessage): void {
  process.send?.(message);
}

if (!process.send) {
  console.error('load-worker must be started by bench/run.js (it needs an IPC channel)');
  process.exit(2);
}

process.on('message', (message: unknown) => {
  if (!isRequestMessage(message)) return;
  handle(message.command, message.args).then(
    (result) => reply({ kind: 'reply', id: message.id, ok: true, result }),
    (error: unknown) =>
      reply({
        kind: 'reply',
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});

// The orchestrator went away (crash, Ctrl-C): never linger holding sockets open.
process.on('disconnect', () => process.exit(0));

reply({ kind: 'ready' });
