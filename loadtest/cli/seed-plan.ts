/**
 * Who exists and who is in which room, derived from a few numbers so that seeding is
 * idempotent: the same plan always names the same users and rooms, and a re-run finds
 * what an earlier (possibly interrupted) run created. Pure; the seeding command applies it.
 *
 * Users are `<prefix>-u<i>`; room r is `<prefix>-r<r>`, owned by its first member, with
 * users r*roomSize … r*roomSize+roomSize-1. Consecutive users share a room, so Artillery's
 * payload in `sequence` order fills one room before the next.
 */
export interface SeedPlan {
  readonly prefix: string;
  readonly users: number;
  readonly roomSize: number;
  readonly password: string;
}

export interface PlannedRoom {
  readonly index: number;
  readonly name: string;
  readonly owner: string;
  /** Everyone but the owner. */
  readonly members: readonly string[];
}

export function validatePlan(plan: SeedPlan): string[] {
  const problems: string[] = [];
  if (!/^[a-zA-Z0-9_.-]{1,16}$/.test(plan.prefix)) {
    problems.push(`--prefix must be 1-16 letters, digits, _ . - (got '${plan.prefix}')`);
  }
  if (!Number.isInteger(plan.users) || plan.users < 1) problems.push(`--users must be ≥ 1 (got ${plan.users})`);
  if (!Number.isInteger(plan.roomSize) || plan.roomSize < 1) {
    problems.push(`--room-size must be ≥ 1 (got ${plan.roomSize})`);
  }
  if (plan.password.length < 8) problems.push('the password must have at least 8 characters');
  // The users file is CSV without quoting.
  if (/[,"\r\n]/.test(plan.password)) problems.push('the password must not contain commas, quotes or line breaks');
  return problems;
}

export function username(plan: SeedPlan, index: number): string {
  return `${plan.prefix}-u${index}`;
}

export function roomCount(plan: SeedPlan): number {
  return Math.ceil(plan.users / plan.roomSize);
}

export function plannedRoom(plan: SeedPlan, index: number): PlannedRoom {
  const first = index * plan.roomSize;
  const last = Math.min(plan.users, first + plan.roomSize) - 1;
  const members: string[] = [];
  for (let user = first + 1; user <= last; user++) members.push(username(plan, user));
  return { index, name: `${plan.prefix}-r${index}`, owner: username(plan, first), members };
}

/** The users file Artillery reads as payload: one row per user, in room order. */
export function usersCsv(plan: SeedPlan, roomIds: ReadonlyMap<number, string>): string {
  const rows = ['username,password,roomId,member,roomSize'];
  for (let user = 0; user < plan.users; user++) {
    const room = Math.floor(user / plan.roomSize);
    const roomId = roomIds.get(room);
    if (roomId === undefined) throw new Error(`room ${room} has no id yet`);
    rows.push([username(plan, user), plan.password, roomId, user % plan.roomSize, plan.roomSize].join(','));
  }
  return rows.join('\n') + '\n';
}

/** Identifies a plan on a target, so a resumed run only trusts state written for the same one. */
export function planKey(plan: SeedPlan, target: string): string {
  return `${target}|${plan.prefix}|${plan.users}|${plan.roomSize}`;
}
