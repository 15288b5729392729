import { RevocationEntity } from '../access/revocation.entity.js';
import { RefreshTokenEntity } from '../identity/refresh-token.entity.js';
import { UserEntity } from '../identity/user.entity.js';
import { MessageEntity } from '../messages/store/sql/message.entity.js';
import { MembershipEntity } from '../rooms/membership.entity.js';
import { RoomEntity } from '../rooms/room.entity.js';

/** Every typeorm entity the relational database holds; the messages feature adds its own. */
export const ENTITIES = [UserEntity, RefreshTokenEntity, RoomEntity, MembershipEntity, MessageEntity, RevocationEntity];
