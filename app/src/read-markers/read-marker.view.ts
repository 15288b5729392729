import { ApiProperty } from '../http/openapi-decorators.js';

/** The caller's read state in a room after PUT /rooms/{id}/read. */
export class ReadMarkerView {
  @ApiProperty({ format: 'uuid' }) roomId!: string;
  @ApiProperty({ description: 'Never lower than before, never past the latest sequence' }) lastReadSeq!: number;
  @ApiProperty({ description: "The room's latest sequence minus lastReadSeq" }) unreadCount!: number;
}
