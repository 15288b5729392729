/**
 * What a STOMP_CLIENT_TOPICS pattern may be: a /topic/ destination of printable characters
 * with no wildcard but one trailing `**` (everything below it). The app checks it at start-up;
 * the CDK stage validation applies the same function, so a bad pattern fails `cdk synth`
 * rather than every task's start. Pure on purpose: the CDK app imports it.
 */
export const CLIENT_TOPIC_PATTERN_RULE = 'must start with /topic/ (wildcard only as a trailing **)';

export function isClientTopicPattern(pattern: string): boolean {
  return /^\/topic\/[\x21-\x7e]+$/.test(pattern) && !/[*#>]/.test(pattern.replace(/\*\*$/, ''));
}
