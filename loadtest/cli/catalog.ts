/**
 * The scenarios `npm run loadtest -- --scenario NAME` knows: their Artillery file and the
 * users and rooms they need seeded. Load shape (phases, rates, durations) and gates live in
 * the YAML files, so they can be tuned, or given an `environments:` profile, without code.
 */
export interface ScenarioEntry {
  readonly file: string;
  /** Users to seed by default (--users overrides); at least the scenario's virtual users. */
  readonly users: number;
  /** Members per room (--room-size overrides). */
  readonly roomSize: number;
  readonly summary: string;
}

export const SCENARIOS = {
  smoke: {
    file: 'smoke.yml',
    users: 6,
    roomSize: 3,
    summary: 'seconds-long room chat for CI: two rooms of three, receipts and deliveries checked',
  },
  connect: {
    file: 'connect.yml',
    users: 1000,
    roomSize: 10,
    summary: 'connect storm: ramp up to many open sessions, connect time',
  },
  chat: {
    file: 'chat.yml',
    users: 200,
    roomSize: 10,
    summary: 'room chat: rooms of 10 members sending with receipts through /app/rooms.{id}',
  },
  fanout: {
    file: 'fanout.yml',
    users: 200,
    roomSize: 200,
    summary: 'big-room fan-out: one room of 200, a few senders, every member receives',
  },
  resume: {
    file: 'resume.yml',
    users: 100,
    roomSize: 10,
    summary: 'reconnect-and-resume storm: members drop and resume with x-since-seq; gaps and duplicates counted',
  },
  soak: {
    file: 'soak.yml',
    users: 100,
    roomSize: 10,
    summary: 'soak: steady room chat for 30 minutes, through token refreshes',
  },
} as const satisfies Record<string, ScenarioEntry>;

export type ScenarioName = keyof typeof SCENARIOS;

export function isScenarioName(value: string): value is ScenarioName {
  return Object.hasOwn(SCENARIOS, value);
}
