/**
 * How deeply a parsed JSON value nests (a scalar is 0, `{}` and `[]` are 1), counted without
 * recursion and giving up as soon as `limit` is exceeded, so a hostile 16 KB body of brackets
 * costs a short loop, not a stack overflow further down (class-transformer recurses).
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current as object)) stack.push([child, depth + 1]);
  }
  return false;
}
