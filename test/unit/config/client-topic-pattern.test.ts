import { describe, expect, it } from '@jest/globals';
import { isClientTopicPattern } from '../../../app/src/config/client-topic-pattern.js';
import { loadConfig } from '../../../app/src/config/load-config.js';

/** The one rule for STOMP_CLIENT_TOPICS, which the app and `cdk synth` (infra/config/client-topics.ts) both apply. */
describe('client topic patterns', () => {
  it.each(['/topic/bench', '/topic/e2e.**', '/topic/**', '/topic/a,b'])('accepts %s', (pattern) => {
    expect(isClientTopicPattern(pattern)).toBe(true);
  });

  it.each(['/topic/', 'topic/x', '/queue/x', '/topic/a.*', '/topic/a.**.b', '/topic/a#', '/topic/a>', '/topic/a b'])(
    'refuses %s',
    (pattern) => {
      expect(isClientTopicPattern(pattern)).toBe(false);
    },
  );

  it('stops the app at start-up with the rule in the message', () => {
    expect(() => loadConfig({ STOMP_CLIENT_TOPICS: '/topic/ok,/topic/rooms.*' })).toThrow(
      "STOMP_CLIENT_TOPICS: '/topic/rooms.*' must start with /topic/ (wildcard only as a trailing **)",
    );
    expect(loadConfig({ STOMP_CLIENT_TOPICS: '/topic/ok, /topic/e2e.**' }).stomp.clientTopics.patterns).toEqual([
      '/topic/ok',
      '/topic/e2e.**',
    ]);
  });
});
