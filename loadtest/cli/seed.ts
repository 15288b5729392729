/**
 * `loadtest seed`: creates a plan's users and rooms over the target's REST API, as any
 * client would (register, log in, create a private room, add members), with bounded
 * concurrency and a progress bar, then writes the users file the scenarios read.
 *
 * Idempotent: an existing user (USER_EXISTS) or member (ROOM_MEMBER_EXISTS) counts as done
 * and an existing room is found by name among its owner's rooms. Resumable: progress is
 * checkpointed to `<users file>.state.json`, so an interrupted run skips what it finished.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runBounded } from '../../bench/bounded.js';
import { RestError, requestJson } from '../processor/rest.js';
import { ProgressBar } from './progress-bar.js';
import { planKey, plannedRoom, roomCount, username, usersCsv, type SeedPlan } from './seed-plan.js';

export interface SeedOptions {
  /** http(s)://host[:port] of the target. */
  readonly target: string;
  readonly plan: SeedPlan;
  /** Where the users file goes; the checkpoint sits next to it. */
  readonly usersFile: string;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

interface SeedState {
  key: string;
  /** Indexes of users known to exist. */
  registered: number[];
  /** Room index → id, for rooms whose members are all added. */
  rooms: Record<string, string>;
}

interface TokenPair {
  readonly accessToken: string;
}
interface RoomSummary {
  readonly id: string;
  readonly name: string;
}

/** Writes the checkpoint at most this often while work is going on. */
const CHECKPOINT_MS = 2_000;

export async function seed(options: SeedOptions): Promise<void> {
  const { plan, target, concurrency } = options;
  const stateFile = `${options.usersFile}.state.json`;
  mkdirSync(dirname(options.usersFile), { recursive: true });
  const state = loadState(stateFile, planKey(plan, target));
  const checkpoint = throttle(() => saveState(stateFile, state), CHECKPOINT_MS);

  const registered = new Set(state.registered);
  const toRegister = range(plan.users).filter((i) => !registered.has(i));
  const userBar = new ProgressBar('users', plan.users);
  userBar.tick(plan.users - toRegister.length);
  const registrations = await runBounded(toRegister.length, concurrency, async (n) => {
    const index = toRegister[n]!;
    await register(target, username(plan, index), plan.password);
    state.registered.push(index);
    userBar.tick();
    checkpoint();
  });
  // Checkpoint before giving up, so the next run resumes from here.
  saveState(stateFile, state);
  failOnRejections(registrations);
  userBar.finish();

  const toFill = range(roomCount(plan)).filter((r) => state.rooms[String(r)] === undefined);
  const roomBar = new ProgressBar('rooms', roomCount(plan));
  roomBar.tick(roomCount(plan) - toFill.length);
  const fills = await runBounded(toFill.length, concurrency, async (n) => {
    const index = toFill[n]!;
    state.rooms[String(index)] = await fillRoom(target, plan, index);
    roomBar.tick();
    checkpoint();
  });
  saveState(stateFile, state);
  failOnRejections(fills);
  roomBar.finish();

  const roomIds = new Map(Object.entries(state.rooms).map(([index, id]) => [Number(index), id]));
  writeAtomically(options.usersFile, usersCsv(plan, roomIds));
}

async function register(target: string, name: string, password: string): Promise<void> {
  try {
    await requestJson('POST', `${target}/auth/register`, { body: { username: name, password } });
  } catch (error) {
    if (error instanceof RestError && error.code === 'USER_EXISTS') return;
    throw error;
  }
}

/** Creates room `index` unless its owner already has it, and adds every member; returns its id. */
async function fillRoom(target: string, plan: SeedPlan, index: number): Promise<string> {
  const room = plannedRoom(plan, index);
  const { accessToken: token } = await requestJson<TokenPair>('POST', `${target}/auth/login`, {
    body: { username: room.owner, password: plan.password },
  });
  const mine = await requestJson<RoomSummary[]>('GET', `${target}/rooms`, { token });
  const existing = mine.find((r) => r.name === room.name);
  const id =
    existing?.id ??
    (await requestJson<RoomSummary>('POST', `${target}/rooms`, { token, body: { kind: 'private', name: room.name } }))
      .id;
  for (const member of room.members) {
    try {
      await requestJson('POST', `${target}/rooms/${id}/members`, { token, body: { username: member } });
    } catch (error) {
      if (!(error instanceof RestError && error.code === 'ROOM_MEMBER_EXISTS')) throw error;
    }
  }
  return id;
}

function loadState(file: string, key: string): SeedState {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SeedState;
    if (saved.key === key) return saved;
  }
  return { key, registered: [], rooms: {} };
}

function saveState(file: string, state: SeedState): void {
  writeAtomically(file, JSON.stringify(state));
}

/** Readers never see half a file, even if the process dies mid-write. */
function writeAtomically(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

function throttle(action: () => void, ms: number): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    action();
  };
}

/** Seeding stops at the first failure kind it meets, naming how many requests failed. */
function failOnRejections(results: PromiseSettledResult<unknown>[]): void {
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length === 0) return;
  const first = failures[0]!.reason as Error;
  throw new Error(`${failures.length} seeding request(s) failed; first: ${first.message}`);
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
