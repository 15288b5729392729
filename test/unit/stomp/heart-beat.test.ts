import { describe, expect, it } from '@jest/globals';
import { negotiateHeartBeat, parseHeartBeat } from '../../../app/src/stomp/heart-beat.js';
import { StompError } from '../../../app/src/stomp/stomp-error.js';

describe('parseHeartBeat', () => {
  it.each<[string | undefined, readonly [number, number]]>([
    [undefined, [0, 0]],
    ['0,0', [0, 0]],
    ['10000,5000', [10000, 5000]],
    ['0,30000', [0, 30000]],
    [' 100 , 200 ', [100, 200]],
    ['007,1', [7, 1]],
  ])('%j → %j', (value, expected) => {
    expect(parseHeartBeat(value)).toEqual(expected);
  });

  it.each(['', '10', '10,', ',10', '-1,0', '0,-1', 'a,b', '1,2,3', '1.5,2', '1;2', '99999999999999999999,0', '١,٢'])(
    '%j is malformed',
    (value) => {
      expect(() => parseHeartBeat(value)).toThrow(StompError);
      try {
        parseHeartBeat(value);
      } catch (error) {
        expect((error as StompError).code).toBe('STOMP_MALFORMED_HEADER');
      }
    },
  );
});

describe('negotiateHeartBeat', () => {
  it.each<[readonly [number, number], readonly [number, number], number, number]>([
    // client [cx, cy], server [sx, sy], server sends every, client sends every
    [[0, 0], [10000, 10000], 0, 0],
    [[10000, 10000], [0, 0], 0, 0],
    [[5000, 20000], [10000, 10000], 20000, 10000],
    [[20000, 5000], [10000, 10000], 10000, 20000],
    [[0, 5000], [10000, 10000], 10000, 0],
    [[5000, 0], [10000, 10000], 0, 10000],
    [[5000, 5000], [0, 10000], 0, 10000],
    [[5000, 5000], [10000, 0], 10000, 0],
    [[1, 1], [1, 1], 1, 1],
  ])(
    'client %j, server %j → server every %d ms, client every %d ms',
    (client, server, serverSendsEveryMs, clientSendsEveryMs) => {
      expect(negotiateHeartBeat(client, server)).toEqual({ serverSendsEveryMs, clientSendsEveryMs });
    },
  );
});
