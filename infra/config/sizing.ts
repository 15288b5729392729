/**
 * Per-test sizing of a stage without editing code: `-c sizing='{"service":{"minTasks":8}}'`
 * (or a `sizing` object in cdk.context.json) overrides the instance classes and task counts
 * of `stages.ts` for one deploy, e.g. to size staging like prod before a load test. Only the
 * keys below can be changed; the result goes through `validateStageSettings()` like any stage.
 */
import type { DocumentDbSettings, MysqlSettings, RedisSettings, ServiceSettings, StageSettings } from './stages.js';

/** The settings a load test may resize. */
const SIZABLE = {
  service: ['cpu', 'memoryMiB', 'minTasks', 'maxTasks', 'connectionsPerTaskTarget'],
  // shards switches a stage to cluster mode (docs/deploy.md).
  redis: ['nodeType', 'replicas', 'shards'],
  documentDb: ['instanceClass', 'instances'],
  mysql: ['instanceClass'],
} as const;

export interface StageSizing {
  readonly service?: Partial<Pick<ServiceSettings, (typeof SIZABLE)['service'][number]>>;
  readonly redis?: Partial<Pick<RedisSettings, (typeof SIZABLE)['redis'][number]>>;
  readonly documentDb?: Partial<Pick<DocumentDbSettings, (typeof SIZABLE)['documentDb'][number]>>;
  readonly mysql?: Partial<Pick<MysqlSettings, (typeof SIZABLE)['mysql'][number]>>;
}

/**
 * Reads the `sizing` context value (a JSON string from `-c`, or an object from a context
 * file). Throws one error naming every unknown section, key or wrongly typed value.
 */
export function parseSizing(value: unknown): StageSizing | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let raw: unknown = value;
  if (typeof value === 'string') {
    try {
      raw = JSON.parse(value);
    } catch {
      throw new Error(`sizing must be a JSON object, e.g. '{"service":{"minTasks":8}}' (got '${value}')`);
    }
  }
  if (!isObject(raw)) throw new Error('sizing must be a JSON object');
  const problems: string[] = [];
  for (const [section, keys] of Object.entries(raw)) {
    const allowed = (SIZABLE as Record<string, readonly string[]>)[section];
    if (!allowed) {
      problems.push(`sizing.${section} is not sizable (expected one of: ${Object.keys(SIZABLE).join(', ')})`);
      continue;
    }
    if (!isObject(keys)) {
      problems.push(`sizing.${section} must be an object`);
      continue;
    }
    for (const [key, setting] of Object.entries(keys)) {
      if (!allowed.includes(key)) {
        problems.push(`sizing.${section}.${key} is not sizable (expected one of: ${allowed.join(', ')})`);
      } else if (typeof setting !== (isClassKey(key) ? 'string' : 'number')) {
        problems.push(`sizing.${section}.${key} must be a ${isClassKey(key) ? 'string' : 'number'}`);
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return raw as StageSizing;
}

/** The stage's settings with the sizing merged in (validate the result as usual). */
export function applySizing(settings: StageSettings, sizing: StageSizing | undefined): StageSettings {
  if (!sizing) return settings;
  return {
    ...settings,
    service: { ...settings.service, ...sizing.service },
    redis: { ...settings.redis, ...sizing.redis },
    documentDb: { ...settings.documentDb, ...sizing.documentDb },
    mysql: { ...settings.mysql, ...sizing.mysql },
  };
}

function isClassKey(key: string): boolean {
  return key === 'nodeType' || key === 'instanceClass';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
