import { describe, expect, it } from '@jest/globals';
import { EmfReporter, formatEmfLine } from '../../../app/src/ops/emf.js';

describe('CloudWatch embedded metric format', () => {
  it('declares ActiveConnections in the ChatBackend namespace with the Service dimension', () => {
    const line = JSON.parse(formatEmfLine('chat-prod', 1234, 1_700_000_000_000));
    expect(line._aws.Timestamp).toBe(1_700_000_000_000);
    expect(line._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'ChatBackend', Dimensions: [['Service']], Metrics: [{ Name: 'ActiveConnections', Unit: 'Count' }] },
    ]);
    expect(line.Service).toBe('chat-prod');
    expect(line.ActiveConnections).toBe(1234);
  });

  it('reports the current connection count on demand and stays off with a zero interval', () => {
    const lines: string[] = [];
    let connections = 3;
    const reporter = new EmfReporter(
      'svc',
      0,
      () => connections,
      (line) => lines.push(line),
    );
    reporter.start();
    reporter.report();
    connections = 5;
    reporter.report();
    reporter.stop();
    expect(lines.map((line) => JSON.parse(line).ActiveConnections)).toEqual([3, 5]);
  });
});
