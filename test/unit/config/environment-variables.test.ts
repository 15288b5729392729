import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ENVIRONMENT_VARIABLES } from '../../../app/src/config/environment-variables.js';
import { loadConfig, loadMigrationConfig } from '../../../app/src/config/load-config.js';

const names = Object.keys(ENVIRONMENT_VARIABLES);

describe('the environment variable list', () => {
  it('lists only what the loader reads', () => {
    const loader = readFileSync('app/src/config/load-config.ts', 'utf8');
    expect(names.filter((name) => !loader.includes(`'${name}'`))).toEqual([]);
  });

  it('backs every read with a default and a range where the loader needs one (every reader runs)', () => {
    const everyKind = {
      NODE_ENV: 'test',
      BACKPLANE: 'rabbitmq',
      RABBITMQ_URL: 'amqp://127.0.0.1:5672',
      MYSQL_URL: 'mysql://root@127.0.0.1:3306/chat',
      MONGO_URL: 'mongodb://127.0.0.1:27017/chat',
      OPS_PORT: '9090',
    };
    expect(() => loadConfig(everyKind)).not.toThrow();
    expect(() => loadConfig({})).not.toThrow();
    expect(() => loadMigrationConfig(everyKind)).not.toThrow();
  });

  it('gives integer defaults inside their ranges', () => {
    const outside = Object.entries(ENVIRONMENT_VARIABLES).filter(([, variable]) => {
      const { default: fallback, range } = variable as { default?: unknown; range?: readonly [number, number] };
      return typeof fallback === 'number' && range !== undefined && (fallback < range[0] || fallback > range[1]);
    });
    expect(outside).toEqual([]);
  });
});
