/**
 * What one virtual user is told: its row of the seeded users file (Artillery's payload) and
 * the scenario's variables (`config.variables`, overridable with `--variables`), read once
 * into typed values with their defaults.
 */

/** Artillery's per-VU context: `vars` holds `target`, payload fields and variables. */
export interface ArtilleryContext {
  vars: Record<string, unknown>;
}

export interface VuSettings {
  readonly httpBase: string;
  /**
   * The target's /ws, or with `wsUrls` (comma-separated, e.g. two local instances on one
   * Redis) one of them by room position, so each room has members on every instance.
   */
  readonly wsUrl: string;
  readonly username: string;
  readonly password: string;
  readonly roomId: string;
  /** Position of this user in its room (0 = owner). */
  readonly member: number;
  /** Messages per second this user sends while sending (0 = listens only). */
  readonly sendRate: number;
  /** Only members whose position is a multiple of this send (1 = everyone; the fan-out has few senders). */
  readonly sendersEvery: number;
  /** Wait after subscribing, so the room's members are in before messages flow. */
  readonly warmupSeconds: number;
  readonly sendSeconds: number;
  /** Stay subscribed after sending, so deliveries in flight arrive. */
  readonly drainSeconds: number;
  /** Connect storm: how long a session stays open. */
  readonly holdSeconds: number;
  /** Resume storm: how many times the socket is dropped and resumed. */
  readonly drops: number;
  readonly reconnectDelayMs: number;
  readonly heartbeatMs: number;
  readonly timeoutMs: number;
}

export function readVuSettings(context: ArtilleryContext): VuSettings {
  const vars = context.vars;
  const target = text(vars, 'target');
  const base = target.replace(/\/+$/, '');
  const wsPath = typeof vars['wsPath'] === 'string' ? vars['wsPath'] : '/ws';
  const member = number(vars, 'member', 0);
  return {
    httpBase: base,
    wsUrl: pickWsUrl(vars['wsUrls'], member) ?? `${base.replace(/^http/, 'ws')}${wsPath}`,
    username: text(vars, 'username'),
    password: text(vars, 'password'),
    roomId: text(vars, 'roomId'),
    member,
    sendRate: number(vars, 'sendRate', 1),
    sendersEvery: Math.max(1, number(vars, 'sendersEvery', 1)),
    warmupSeconds: number(vars, 'warmupSeconds', 2),
    sendSeconds: number(vars, 'sendSeconds', 10),
    drainSeconds: number(vars, 'drainSeconds', 2),
    holdSeconds: number(vars, 'holdSeconds', 30),
    drops: number(vars, 'drops', 3),
    reconnectDelayMs: number(vars, 'reconnectDelayMs', 500),
    heartbeatMs: number(vars, 'heartbeatMs', 10_000),
    timeoutMs: number(vars, 'timeoutMs', 10_000),
  };
}

export function isSender(settings: VuSettings): boolean {
  return settings.sendRate > 0 && settings.member % settings.sendersEvery === 0;
}

function pickWsUrl(value: unknown, member: number): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const urls = value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  return urls[member % urls.length];
}

function text(vars: Record<string, unknown>, name: string): string {
  const value = vars[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`loadtest: variable '${name}' is missing (is the users file seeded and set as payload?)`);
}

function number(vars: Record<string, unknown>, name: string, fallback: number): number {
  const value = vars[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new Error(`loadtest: variable '${name}' must be a number ≥ 0 (got '${String(value)}')`);
  }
  return parsed;
}
