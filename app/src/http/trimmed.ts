/** class-transformer @Transform that trims strings and leaves anything else for the validators. */
export function trimmed({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim() : value;
}
