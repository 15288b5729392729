import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../app/src/config/load-config.js';

describe('presence and read-marker settings', () => {
  it('defaults to a 10 s heartbeat, 30 s TTL, 5 s offline grace, 1 s sweeps and 1 s read-marker flushes', () => {
    const config = loadConfig({});
    expect(config.presence).toEqual({
      heartbeatIntervalMs: 10_000,
      ttlMs: 30_000,
      offlineGraceMs: 5_000,
      sweepIntervalMs: 1_000,
    });
    expect(config.readMarkers).toEqual({ flushIntervalMs: 1_000 });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PRESENCE_HEARTBEAT_INTERVAL_MS: '200',
      PRESENCE_TTL_MS: '1000',
      PRESENCE_OFFLINE_GRACE_MS: '0',
      PRESENCE_SWEEP_INTERVAL_MS: '100',
      READ_MARKERS_FLUSH_INTERVAL_MS: '50',
    });
    expect(config.presence).toEqual({
      heartbeatIntervalMs: 200,
      ttlMs: 1_000,
      offlineGraceMs: 0,
      sweepIntervalMs: 100,
    });
    expect(config.readMarkers.flushIntervalMs).toBe(50);
  });

  it('refuses a TTL shorter than two heartbeats, so one late heartbeat never looks like a crash', () => {
    expect(() => loadConfig({ PRESENCE_HEARTBEAT_INTERVAL_MS: '10000', PRESENCE_TTL_MS: '15000' })).toThrow(
      /PRESENCE_TTL_MS: expected at least twice PRESENCE_HEARTBEAT_INTERVAL_MS/,
    );
  });
});
