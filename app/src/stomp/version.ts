import type { StompVersion } from './frame.js';

/** Oldest first, so the last common one found is the highest. */
const ALL_VERSIONS: readonly StompVersion[] = ['1.0', '1.1', '1.2'];

/**
 * `accept-version` header → the highest version both speak, from the server's supported list
 * ['1.0','1.1','1.2']; missing header → '1.0' (spec: a client that sends none speaks 1.0);
 * no common version → undefined. Unknown entries such as '2.0' are ignored.
 */
export function negotiateVersion(
  acceptVersion: string | undefined,
  supported: readonly StompVersion[] = ALL_VERSIONS,
): StompVersion | undefined {
  const offered = acceptVersion === undefined ? ['1.0'] : acceptVersion.split(',').map((entry) => entry.trim());
  let highest: StompVersion | undefined;
  for (const version of ALL_VERSIONS) {
    if (offered.includes(version) && supported.includes(version)) highest = version;
  }
  return highest;
}
