import { IsInt, IsString, Length, Max, Min } from '../http/validators.js';

/** SEND /app/rooms.{roomId}.reactions body: which message, which emoji. */
export class ReactionDto {
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  seq!: number;

  @IsString()
  @Length(1, 16)
  emoji!: string;
}
