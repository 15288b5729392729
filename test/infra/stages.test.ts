import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import {
  STAGE_NAMES,
  parseList,
  resolveStageSettings,
  validateStageSettings,
  type StageSettings,
} from '../../infra/config/stages.js';
import { NO_CLIENT_TOPICS, type ClientTopicSettings } from '../../infra/config/client-topics.js';
import { createChatStacks } from '../../infra/stacks/chat-stacks.js';
import { REPO_ROOT, TEST_ALLOWED_ORIGINS, TEST_CERTIFICATE_ARN, defaultOverrides } from './support/build-stage.js';

describe('stage settings', () => {
  it.each(STAGE_NAMES)('%s is valid with the values it needs from the command line', (stage) => {
    expect(() => validateStageSettings(resolveStageSettings(stage, defaultOverrides(stage)))).not.toThrow();
  });

  describe('client topics', () => {
    const withTopics = (clientTopics: ClientTopicSettings): StageSettings => ({
      ...resolveStageSettings('dev'),
      clientTopics,
    });

    it.each(STAGE_NAMES)('%s opens none (every direct SEND to /topic is refused)', (stage) => {
      expect(resolveStageSettings(stage).clientTopics).toEqual(NO_CLIENT_TOPICS);
      expect(NO_CLIENT_TOPICS.patterns).toEqual([]);
    });

    it.each([['/topic/bench'], ['/topic/e2e.**'], ['/topic/**']])('accepts %s', (pattern) => {
      expect(() =>
        validateStageSettings(withTopics({ patterns: [pattern], maxBodyBytes: 0, ephemeral: true })),
      ).not.toThrow();
    });

    it('lists every problem at once, in the words of the app', () => {
      expect(() =>
        validateStageSettings(
          withTopics({
            patterns: ['/topic/a.*.b', 'topic/x', '/topic/x**/y', '/topic/has space'],
            maxBodyBytes: 16_777_217,
          }),
        ),
      ).toThrow(
        [
          "stage dev: clientTopics.patterns: '/topic/a.*.b' must start with /topic/ (wildcard only as a trailing **)",
          "stage dev: clientTopics.patterns: 'topic/x' must start with /topic/ (wildcard only as a trailing **)",
          "stage dev: clientTopics.patterns: '/topic/x**/y' must start with /topic/ (wildcard only as a trailing **)",
          "stage dev: clientTopics.patterns: '/topic/has space' must start with /topic/ (wildcard only as a trailing **)",
          'stage dev: clientTopics.maxBodyBytes must be a whole number from 0 to 16777216 (got 16777217)',
        ].join('\n'),
      );
    });

    it('refuses options without patterns: they would do nothing', () => {
      expect(() => validateStageSettings(withTopics({ patterns: [], ephemeral: false }))).toThrow(
        'stage dev: clientTopics.maxBodyBytes, ephemeral and retentionMs apply to client topics only; list patterns or leave them out',
      );
    });
  });

  it('rejects an unknown stage', () => {
    expect(() => resolveStageSettings('qa')).toThrow("unknown stage 'qa' (expected one of: dev, staging, prod)");
  });

  it('lets dev run without a certificate (plain HTTP)', () => {
    expect(() => validateStageSettings(resolveStageSettings('dev'))).not.toThrow();
  });

  it.each(['staging', 'prod'])('requires a certificate for %s', (stage) => {
    expect(() => validateStageSettings(resolveStageSettings(stage))).toThrow(
      `stage ${stage}: certificateArn is required (HTTPS listener)`,
    );
  });

  it.each(['staging', 'prod'])('refuses %s without an alarm destination', (stage) => {
    const { alarmEmail: _dropped, ...overrides } = defaultOverrides(stage as 'staging' | 'prod');
    expect(() => validateStageSettings(resolveStageSettings(stage, overrides))).toThrow(
      `stage ${stage}: alarmEmail is required (alarms and deployment rollbacks must reach someone); pass -c alarmEmail=oncall@example.com`,
    );
  });

  it.each(['staging', 'prod'])('requires three AZs in %s', (stage) => {
    const s = resolveStageSettings(stage, defaultOverrides(stage as 'staging' | 'prod'));
    expect(s.network.maxAzs).toBe(3);
    expect(() => validateStageSettings({ ...s, network: { ...s.network, maxAzs: 2, natGateways: 1 } })).toThrow(
      `stage ${stage}: network.maxAzs must be 3 outside dev, from the first deploy on (got 2)`,
    );
  });

  it.each([
    ['staging', undefined, 'account and region'],
    ['prod', undefined, 'account and region'],
    ['prod', { region: 'eu-west-1' }, 'account'],
    ['prod', { account: '123456789012' }, 'region'],
  ] as const)('refuses to synthesize %s with env %j (missing %s)', (stage, env, missing) => {
    const app = new App();
    expect(() =>
      createChatStacks(app, resolveStageSettings(stage, defaultOverrides(stage)), { env, imageDirectory: REPO_ROOT }),
    ).toThrow(`stage ${stage}: needs a concrete ${missing} (three AZs from the region's real list)`);
    expect(app.node.children).toHaveLength(0);
  });

  it('lets dev synthesize without an account (offline)', () => {
    const app = new App();
    createChatStacks(app, resolveStageSettings('dev'), { imageDirectory: REPO_ROOT });
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual([
      'Chat-dev-Data',
      'Chat-dev-Network',
      'Chat-dev-Service',
    ]);
  });

  it('rejects something that is not an ACM certificate ARN', () => {
    const settings = resolveStageSettings('prod', { certificateArn: 'arn:aws:iam::123456789012:role/x' });
    expect(() => validateStageSettings(settings)).toThrow('stage prod: certificateArn is not an ACM certificate ARN');
  });

  it('rejects minTasks above maxTasks', () => {
    const s: StageSettings = resolveStageSettings('dev');
    const settings: StageSettings = { ...s, service: { ...s.service, minTasks: 5, maxTasks: 2 } };
    expect(() => validateStageSettings(settings)).toThrow('stage dev: minTasks must be ≤ maxTasks (got 5 > 2)');
  });

  it('rejects a memory size Fargate does not offer for the CPU size', () => {
    const s: StageSettings = resolveStageSettings('dev');
    const settings: StageSettings = { ...s, service: { ...s.service, cpu: 1024, memoryMiB: 1024 } };
    expect(() => validateStageSettings(settings)).toThrow('service.memoryMiB 1024 is not valid for cpu 1024');
  });

  it('requires Redis replicas (Multi-AZ failover) outside dev', () => {
    const s: StageSettings = resolveStageSettings('staging', { certificateArn: TEST_CERTIFICATE_ARN });
    const settings: StageSettings = { ...s, redis: { ...s.redis, replicas: 0 } };
    expect(() => validateStageSettings(settings)).toThrow('stage staging: redis.replicas must be ≥ 1');
  });

  it('requires deletion protection, Multi-AZ and retention in prod', () => {
    const s: StageSettings = resolveStageSettings('prod', { certificateArn: TEST_CERTIFICATE_ARN });
    const settings: StageSettings = {
      ...s,
      protection: { ...s.protection, deletionProtection: false, multiAz: false, removal: 'destroy' },
    };
    expect(() => validateStageSettings(settings)).toThrow(
      [
        'stage prod: deletionProtection must be true',
        'stage prod: multiAz must be true',
        "stage prod: removal must be 'retain' (got 'destroy')",
      ].join('\n'),
    );
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    const s: StageSettings = resolveStageSettings('dev');
    const settings: StageSettings = { ...s, service: { ...s.service, logRetentionDays: 10 } };
    expect(() => validateStageSettings(settings)).toThrow('stage dev: logRetentionDays must be one of');
  });

  it('keeps every stage at 60 s of drain inside a 110 s deregistration delay inside a 120 s stopTimeout', () => {
    for (const stage of STAGE_NAMES) {
      expect(resolveStageSettings(stage).service.drain).toEqual({
        shutdownDrainMs: 60_000,
        deregistrationDelaySeconds: 110,
        stopTimeoutSeconds: 120,
      });
    }
  });

  it('rejects a drain that outlasts the deregistration delay', () => {
    const s: StageSettings = resolveStageSettings('dev');
    const settings: StageSettings = {
      ...s,
      service: { ...s.service, drain: { ...s.service.drain, shutdownDrainMs: 110_000 } },
    };
    expect(() => validateStageSettings(settings)).toThrow(
      'stage dev: drain.shutdownDrainMs (110000 ms) must be shorter than the deregistration delay (110 s)',
    );
  });

  it('rejects a deregistration delay that is not shorter than stopTimeout', () => {
    const s: StageSettings = resolveStageSettings('dev');
    const settings: StageSettings = {
      ...s,
      service: { ...s.service, drain: { ...s.service.drain, deregistrationDelaySeconds: 120 } },
    };
    expect(() => validateStageSettings(settings)).toThrow(
      'stage dev: drain.deregistrationDelaySeconds (120 s) must be shorter than stopTimeoutSeconds (120 s)',
    );
  });

  it('rejects a stopTimeout beyond the Fargate maximum', () => {
    const s: StageSettings = resolveStageSettings('dev');
    const settings: StageSettings = {
      ...s,
      service: { ...s.service, drain: { ...s.service.drain, stopTimeoutSeconds: 180 } },
    };
    expect(() => validateStageSettings(settings)).toThrow(
      'stage dev: drain.stopTimeoutSeconds must be between 2 and 120, the Fargate maximum (got 180)',
    );
  });

  it('rejects a malformed alarm email and domain', () => {
    const settings = resolveStageSettings('dev', { alarmEmail: 'not-an-email', domainName: 'no spaces.example' });
    expect(() => validateStageSettings(settings)).toThrow(
      "stage dev: domainName is not a host name (got 'no spaces.example')",
    );
    expect(() => validateStageSettings(settings)).toThrow(
      "stage dev: alarmEmail is not an email address (got 'not-an-email')",
    );
  });

  describe('allowedOrigins', () => {
    const prodWith = (allowedOrigins?: readonly string[]) =>
      resolveStageSettings('prod', { ...defaultOverrides('prod'), allowedOrigins });

    it.each([
      ['missing', undefined],
      ['empty', []],
    ])('is required in prod (%s)', (_, origins) => {
      expect(() => validateStageSettings(prodWith(origins))).toThrow(
        'stage prod: allowedOrigins is required (the browser origins allowed to open a WebSocket); pass -c allowedOrigins=https://chat.example.com',
      );
    });

    it('is optional in dev and staging', () => {
      expect(() => validateStageSettings(resolveStageSettings('dev'))).not.toThrow();
      expect(() => validateStageSettings(resolveStageSettings('staging', defaultOverrides('staging')))).not.toThrow();
      expect(resolveStageSettings('dev').allowedOrigins).toBeUndefined();
    });

    it('is kept as given', () => {
      expect(prodWith(TEST_ALLOWED_ORIGINS).allowedOrigins).toEqual(TEST_ALLOWED_ORIGINS);
      expect(() => validateStageSettings(prodWith(['http://localhost:5173']))).not.toThrow();
    });

    const notAsSent =
      "is not an origin as browsers send it (scheme://host[:port], lower case, no path or trailing slash; did you mean 'https://chat.example.com'?)";
    it.each([
      ['https://chat.example.com/', notAsSent],
      ['https://chat.example.com/app', notAsSent],
      ['https://Chat.Example.com', notAsSent],
      ['https://chat.example.com:443', notAsSent],
      ['chat.example.com', 'is not an origin (scheme://host[:port])'],
      ['*', 'is not an origin (scheme://host[:port])'],
      ['ftp://files.example.com', 'is not an http(s) origin'],
    ])('rejects %s, which no browser sends as Origin', (origin, problem) => {
      expect(() => validateStageSettings(prodWith([origin]))).toThrow(
        `stage prod: allowedOrigins: '${origin}' ${problem}`,
      );
    });

    it('parses the comma-separated context value, or a JSON array from cdk.json', () => {
      expect(parseList('https://a.example, https://b.example,')).toEqual(['https://a.example', 'https://b.example']);
      expect(parseList(['https://a.example', ' https://b.example '])).toEqual([
        'https://a.example',
        'https://b.example',
      ]);
      expect(parseList(undefined)).toBeUndefined();
      expect(parseList(' , ')).toBeUndefined();
    });
  });

  it('rejects a certificate from another region than the stacks', () => {
    const settings = resolveStageSettings('prod', defaultOverrides('prod'));
    expect(() =>
      createChatStacks(new App(), settings, {
        env: { account: '123456789012', region: 'us-east-1' },
        imageDirectory: REPO_ROOT,
      }),
    ).toThrow('stage prod: certificateArn is in eu-west-1 but the stacks deploy to us-east-1');
  });

  it('validates before building any stack', () => {
    const app = new App();
    expect(() => createChatStacks(app, resolveStageSettings('prod'), { imageDirectory: REPO_ROOT })).toThrow(
      'certificateArn is required',
    );
    expect(app.node.children).toHaveLength(0);
  });
});
