/** The part of a Node.js writable stream (a socket) that batching needs. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Holds a stream's writes until the work of the current tick is done, so every frame or command
 * queued in one tick leaves in one `writev` instead of one system call each. The release runs on
 * process.nextTick, after the promise callbacks of the same tick, so nothing waits for I/O or a
 * timer; a burst (several SENDs in one read, several messages fanned out to one subscriber)
 * costs one system call.
 *
 * Measured on the benchmark (2 vCPU): 12,000 SEND/s with receipts went from 6,300 to 8,600–10,500
 * RECEIPT/s across runs, and 100 subscribers × 1,000 SEND/s from falling behind (67,000 of 100,000
 * deliveries/s) to keeping up at 8.5 instead of 13 µs per delivery. The price is that a write
 * leaves only when its tick's work ends, so a large fan-out releases what it holds in batches
 * as it goes (earlyReleaseInterval). Letting each tick's first write go out at once avoided that but
 * lost most of the gain under load (6,200 RECEIPT/s), because batches then never grow.
 */
export class TickCork {
  private held: Corkable | undefined;

  /**
   * A function is asked at each hold (a client may replace its socket when it reconnects); a
   * stream that never changes is given as is, which spares a closure per connection.
   */
  constructor(private readonly source: Corkable | (() => Corkable)) {}

  /**
   * Call before each write; cheap when this tick already holds the stream. Does nothing while a
   * fan-out writes through (see startFanOut): the write then leaves at once.
   */
  hold(): void {
    if (this.held !== undefined || writingThrough) return;
    const source = this.source;
    const stream = typeof source === 'function' ? source() : source;
    this.held = stream;
    stream.cork();
    releaseAfterThisTick(this);
  }

  /** @internal Called once per hold, from the shared release pass. */
  release(): void {
    const stream = this.held;
    this.held = undefined;
    stream?.uncork();
  }
}

// One release pass per tick for every held stream: a fan-out to N subscribers holds N sockets,
// and a process.nextTick (with its closure) per socket was a visible share of the fan-out
// profile. A stream held during the pass (a write from an uncork's side effects) joins it.
const heldThisTick: TickCork[] = [];
let releaseScheduled = false;
let largeFanOutSeen = false;
/** Fan-outs started in this tick, and in the last tick that had any. */
let fanOutsThisTick = 0;
let fanOutsLastTick = 0;
/** Set for the duration of a write-through fan-out's loop: hold() then lets writes leave at once. */
let writingThrough = false;

/**
 * Fan-outs to more subscribers than this release early (see earlyReleaseInterval). Below it the loop
 * is short, and at saturation (many messages per tick) an early release would cost most sockets a
 * second write per tick.
 */
export const LARGE_FAN_OUT = 256;

/**
 * Deliveries between early releases in a tick's first large fan-out. Small enough that the first
 * subscribers' writes leave while the loop goes on, large enough that a release pass is not paid
 * per delivery.
 */
export const EARLY_RELEASE_EVERY = 64;

/** What startFanOut() returns when the fan-out writes each delivery through instead of holding it. */
export const WRITE_THROUGH = -1;

/**
 * Called by a fan-out before its loop, with endFanOut() after it. Returns WRITE_THROUGH for a
 * large fan-out (more than LARGE_FAN_OUT subscribers) that is its tick's only one (the first of
 * its tick, after a tick that had at most one): holding its writes would batch nothing, since no
 * other message reaches those sockets before the tick ends, and it would make the median
 * subscriber wait for the loop. Written through, each delivery leaves at once and each socket is
 * touched once (holding touches it again after the loop, when a thousand sockets' state is no
 * longer in the CPU cache). At 1,000 subscribers × 10 SEND/s, three alternating rounds, that took
 * p50 from 0.96–1.21× (median 1.14×) to 0.93–0.96× the floor server's.
 *
 * A smaller fan-out still holds even when alone in its tick: at 100 subscribers × 100 SEND/s,
 * writing through did not lower CPU per delivery (1.41–1.42× the floor's against 1.23–1.56×
 * holding, three alternating rounds), and perf showed the delivery loop's own JavaScript running
 * slower between one system call and the next.
 *
 * Otherwise the writes are held and the return value is earlyReleaseInterval(deliveries).
 */
export function startFanOut(deliveries: number): number {
  fanOutsThisTick++;
  scheduleRelease();
  if (deliveries > LARGE_FAN_OUT && fanOutsThisTick === 1 && fanOutsLastTick <= 1) {
    writingThrough = true;
    return WRITE_THROUGH;
  }
  return earlyReleaseInterval(deliveries);
}

/** Ends what startFanOut() started; call it in a `finally`. */
export function endFanOut(): void {
  writingThrough = false;
}

/**
 * How often a fan-out to `deliveries` subscribers should call releaseHeldNow(): every
 * EARLY_RELEASE_EVERY deliveries for the tick's first fan-out to more than LARGE_FAN_OUT, so its
 * writes leave in batches while the loop runs instead of all after it (with 1,000 subscribers
 * the median one otherwise waits for 500 more deliveries' JavaScript); 0 (never) for any other.
 * Later fan-outs in the same tick hold as usual: under load a subscriber of a busy room still
 * gets the tick's other messages in one write, at most one write more than without this.
 */
export function earlyReleaseInterval(deliveries: number): number {
  if (deliveries <= LARGE_FAN_OUT || largeFanOutSeen) return 0;
  largeFanOutSeen = true;
  scheduleRelease();
  return EARLY_RELEASE_EVERY;
}

/** Releases every stream held so far in this tick, now; later holds wait for the end of the tick. */
export function releaseHeldNow(): void {
  for (let i = 0; i < heldThisTick.length; i++) heldThisTick[i].release();
  heldThisTick.length = 0;
}

function releaseAfterThisTick(cork: TickCork): void {
  heldThisTick.push(cork);
  scheduleRelease();
}

function scheduleRelease(): void {
  if (releaseScheduled) return;
  releaseScheduled = true;
  process.nextTick(releaseAll);
}

function releaseAll(): void {
  try {
    releaseHeldNow();
  } finally {
    heldThisTick.length = 0;
    releaseScheduled = false;
    largeFanOutSeen = false;
    if (fanOutsThisTick > 0) fanOutsLastTick = fanOutsThisTick;
    fanOutsThisTick = 0;
  }
}
