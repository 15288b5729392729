import { CLIENT_TOPIC_PATTERN_RULE, isClientTopicPattern } from '../../app/src/config/client-topic-pattern.js';
import type { EnvironmentValues } from '../../app/src/config/environment-variables.js';

/**
 * Topics clients may SEND to directly, bypassing the gateways (docs/gateways.md, "Client
 * topics"). Any connected user may send to and subscribe to them, so a stage opens them only
 * for a purpose (a load test's `/topic/bench`); none by default.
 */
export interface ClientTopicSettings {
  /** STOMP_CLIENT_TOPICS: e.g. `/topic/bench`, `/topic/e2e.**`. Empty: none, every direct SEND is refused. */
  readonly patterns: readonly string[];
  /** STOMP_CLIENT_TOPIC_MAX_BODY_BYTES, 0 to 16 MiB. @default - the app's, 65536 */
  readonly maxBodyBytes?: number;
  /** STOMP_CLIENT_TOPICS_EPHEMERAL: keep nothing for replay. @default - false */
  readonly ephemeral?: boolean;
  /** STOMP_CLIENT_TOPIC_RETENTION_MS: a kept topic's keys expire this long after its last message. @default - the app's, 1 day */
  readonly retentionMs?: number;
}

export const NO_CLIENT_TOPICS: ClientTopicSettings = { patterns: [] };

// The range the app accepts for STOMP_CLIENT_TOPIC_MAX_BODY_BYTES (app/src/config/load-config.ts).
const MAX_BODY_BYTES_LIMIT = 16_777_216;

/** Why the settings would stop every task at start-up, one line each (the app's own checks). */
export function clientTopicProblems(settings: ClientTopicSettings): string[] {
  const problems: string[] = [];
  for (const pattern of settings.patterns) {
    if (pattern.includes(',')) {
      problems.push(
        `clientTopics.patterns: '${pattern}' must not contain ',' (STOMP_CLIENT_TOPICS is comma-separated)`,
      );
    } else if (!isClientTopicPattern(pattern)) {
      problems.push(`clientTopics.patterns: '${pattern}' ${CLIENT_TOPIC_PATTERN_RULE}`);
    }
  }
  const { maxBodyBytes } = settings;
  if (
    maxBodyBytes !== undefined &&
    (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0 || maxBodyBytes > MAX_BODY_BYTES_LIMIT)
  ) {
    problems.push(
      `clientTopics.maxBodyBytes must be a whole number from 0 to ${MAX_BODY_BYTES_LIMIT} (got ${maxBodyBytes})`,
    );
  }
  const { retentionMs } = settings;
  if (retentionMs !== undefined && (!Number.isInteger(retentionMs) || retentionMs < 1_000)) {
    problems.push(`clientTopics.retentionMs must be a whole number of at least 1000 (got ${retentionMs})`);
  }
  const options = [maxBodyBytes, settings.ephemeral, retentionMs];
  if (settings.patterns.length === 0 && options.some((option) => option !== undefined)) {
    problems.push(
      'clientTopics.maxBodyBytes, ephemeral and retentionMs apply to client topics only; list patterns or leave them out',
    );
  }
  return problems;
}

/** The container variables for the settings; none when no topic is open (the app's default). */
export function clientTopicEnvironment(settings: ClientTopicSettings): EnvironmentValues {
  if (settings.patterns.length === 0) return {};
  return {
    STOMP_CLIENT_TOPICS: settings.patterns.join(','),
    ...(settings.maxBodyBytes === undefined
      ? {}
      : { STOMP_CLIENT_TOPIC_MAX_BODY_BYTES: String(settings.maxBodyBytes) }),
    ...(settings.ephemeral === undefined ? {} : { STOMP_CLIENT_TOPICS_EPHEMERAL: String(settings.ephemeral) }),
    ...(settings.retentionMs === undefined ? {} : { STOMP_CLIENT_TOPIC_RETENTION_MS: String(settings.retentionMs) }),
  };
}
