import { IsString, Length } from '../http/validators.js';

/** Longest announcement, in characters: a banner line or two, not a document. */
export const MAX_ANNOUNCEMENT_LENGTH = 1000;

/** SEND /app/rooms.{roomId}.announce body: what the room's moderators want every member to see. */
export class AnnouncementDto {
  @IsString()
  @Length(1, MAX_ANNOUNCEMENT_LENGTH)
  text!: string;
}
