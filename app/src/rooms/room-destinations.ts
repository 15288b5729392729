import { AppError } from '../errors/app-error.js';

/**
 * The one home of the room naming scheme: every STOMP destination of a room, as patterns for
 * the gateways (`{roomId}` is one segment), as names for publishers, and parsed back for the
 * authorizer, the persister and revocations. Topics are what clients SUBSCRIBE to and only the
 * server publishes; /app destinations are what they SEND to.
 */
const TOPIC_PREFIX = '/topic/rooms.';
const APP_PREFIX = '/app/rooms.';

export const ROOM_DESTINATIONS = {
  /** Chat messages, edits and deletions, sequenced (x-seq) and stored. */
  messagesTopic: `${TOPIC_PREFIX}{roomId}`,
  /** Typing indicators: live only. */
  typingTopic: `${TOPIC_PREFIX}{roomId}.typing`,
  /** Online and offline events of the members. */
  presenceTopic: `${TOPIC_PREFIX}{roomId}.presence`,
  /** Announcements by the room's owner and admins: live only. */
  announcementsTopic: `${TOPIC_PREFIX}{roomId}.announcements`,
  send: `${APP_PREFIX}{roomId}`,
  typing: `${APP_PREFIX}{roomId}.typing`,
  edit: `${APP_PREFIX}{roomId}.edit`,
  delete: `${APP_PREFIX}{roomId}.delete`,
  read: `${APP_PREFIX}{roomId}.read`,
  announce: `${APP_PREFIX}{roomId}.announce`,
  reactions: `${APP_PREFIX}{roomId}.reactions`,
} as const;

/** The room's message topic: messages, edits, deletions (and live reactions). */
export const roomTopic = (roomId: string): string => `${TOPIC_PREFIX}${roomId}`;
export const typingTopic = (roomId: string): string => `${TOPIC_PREFIX}${roomId}.typing`;
export const presenceTopic = (roomId: string): string => `${TOPIC_PREFIX}${roomId}.presence`;
export const announcementsTopic = (roomId: string): string => `${TOPIC_PREFIX}${roomId}.announcements`;

/** The header of an ERROR that names the room it is about (e.g. access to it was lost). */
export const ROOM_ID_HEADER = 'x-room-id';

// Lowercase only, as the service issues them: one room must not be reachable under two
// spellings, which the realtime layer would treat as two channels.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_LENGTH = 36;
// After the room id: dot-separated words, e.g. "typing" or "presence".
const SUFFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The room a destination under /topic/rooms. (`topic`) or /app/rooms. (`app`) names. */
export interface RoomDestination {
  readonly family: 'topic' | 'app';
  readonly roomId: string;
  /** What follows the room id, e.g. "typing"; undefined for the room's own topic or SEND. */
  readonly suffix: string | undefined;
}

/**
 * The room a destination names, undefined when it is no room destination at all; refuses
 * (DESTINATION_INVALID) one that looks like a room's but names none.
 */
export function parseRoomDestination(destination: string): RoomDestination | undefined {
  if (destination.startsWith(TOPIC_PREFIX)) return parseUnder(destination, 'topic');
  if (destination.startsWith(APP_PREFIX)) return parseUnder(destination, 'app');
  return undefined;
}

/**
 * The room of a destination a declared route of `family` already matched, its `{roomId}` value
 * checked without parsing the destination again (the rest is the pattern's own); undefined when
 * the destination is not under that family.
 */
export function roomOfMatched(
  destination: string,
  family: RoomDestination['family'],
  roomId: string,
): string | undefined {
  if (!destination.startsWith(prefixOf(family))) return undefined;
  requireRoomId(destination, family, roomId);
  return roomId;
}

/** Where a client is pointed when it used the wrong family for a room. */
export function roomDestinationOf(family: RoomDestination['family'], roomId: string): string {
  return `${prefixOf(family)}${roomId}`;
}

/** The wildcard form of a family, as shown in errors: `/topic/rooms.*`. */
export function roomFamilyPattern(family: RoomDestination['family']): string {
  return `${prefixOf(family)}*`;
}

/** The room whose message topic this is exactly (not typing, presence, …), else undefined. */
export function roomIdOfTopic(destination: string): string | undefined {
  if (destination.length !== TOPIC_PREFIX.length + UUID_LENGTH || !destination.startsWith(TOPIC_PREFIX)) {
    return undefined;
  }
  const roomId = destination.slice(TOPIC_PREFIX.length);
  return UUID.test(roomId) ? roomId : undefined;
}

/** Whether a destination belongs to a room: its topic or any sub-topic (typing, presence, …). */
export function isRoomDestination(destination: string, roomId: string): boolean {
  const topic = roomTopic(roomId);
  return destination === topic || destination.startsWith(`${topic}.`);
}

function parseUnder(destination: string, family: RoomDestination['family']): RoomDestination {
  const rest = destination.slice(prefixOf(family).length);
  const dot = rest.indexOf('.');
  const roomId = dot === -1 ? rest : rest.slice(0, dot);
  const suffix = dot === -1 ? undefined : rest.slice(dot + 1);
  requireRoomId(destination, family, roomId);
  if (suffix !== undefined && !SUFFIX.test(suffix)) {
    throw new AppError('DESTINATION_INVALID', `'${destination}' has an invalid suffix after the room id`);
  }
  return { family, roomId, suffix };
}

function requireRoomId(destination: string, family: RoomDestination['family'], roomId: string): void {
  if (!UUID.test(roomId)) {
    throw new AppError(
      'DESTINATION_INVALID',
      `'${destination}' does not name a room: expected ${prefixOf(family)}{room id, a lowercase UUID}`,
    );
  }
}

function prefixOf(family: RoomDestination['family']): string {
  return family === 'topic' ? TOPIC_PREFIX : APP_PREFIX;
}
