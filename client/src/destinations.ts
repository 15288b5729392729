/**
 * The server's destination names, as a client sees them (the wire contract; the server's own
 * definitions are in app/src/rooms/room-destinations.ts, and a unit test checks these agree
 * with them). The SDK ships on its own, so it keeps its copy rather than importing the server.
 */
export const destinations = {
  roomTopic: (roomId: string) => `/topic/rooms.${roomId}`,
  typingTopic: (roomId: string) => `/topic/rooms.${roomId}.typing`,
  presenceTopic: (roomId: string) => `/topic/rooms.${roomId}.presence`,
  roomSend: (roomId: string) => `/app/rooms.${roomId}`,
  typingSend: (roomId: string) => `/app/rooms.${roomId}.typing`,
  editSend: (roomId: string) => `/app/rooms.${roomId}.edit`,
  deleteSend: (roomId: string) => `/app/rooms.${roomId}.delete`,
  readSend: (roomId: string) => `/app/rooms.${roomId}.read`,
  sessionRenew: '/app/session.renew',
} as const;
