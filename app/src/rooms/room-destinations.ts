/**
 * The STOMP destinations of rooms, as patterns for the gateways (`{roomId}` is one segment;
 * RoomMemberGuard's authorizer insists on a lowercase UUID). Topics are what clients
 * SUBSCRIBE to and only the server publishes; /app destinations are what they SEND to.
 */
export const ROOM_DESTINATIONS = {
  /** Chat messages, edits and deletions, sequenced (x-seq) and stored. */
  messagesTopic: '/topic/rooms.{roomId}',
  /** Typing indicators: live only. */
  typingTopic: '/topic/rooms.{roomId}.typing',
  /** Online and offline events of the members. */
  presenceTopic: '/topic/rooms.{roomId}.presence',
  /** Announcements by the room's owner and admins: live only. */
  announcementsTopic: '/topic/rooms.{roomId}.announcements',
  send: '/app/rooms.{roomId}',
  typing: '/app/rooms.{roomId}.typing',
  edit: '/app/rooms.{roomId}.edit',
  delete: '/app/rooms.{roomId}.delete',
  read: '/app/rooms.{roomId}.read',
  announce: '/app/rooms.{roomId}.announce',
} as const;
