import { ApiProperty } from '../http/openapi-decorators.js';

export class OnlineMemberView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
}

/** GET /rooms/{id}/presence: the room's members with at least one live session on any instance. */
export class RoomPresenceView {
  @ApiProperty({ format: 'uuid' }) roomId!: string;
  @ApiProperty({ type: [OnlineMemberView], description: 'In the order members joined' }) online!: OnlineMemberView[];
}
