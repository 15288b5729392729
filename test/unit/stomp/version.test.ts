import { describe, expect, it } from '@jest/globals';
import type { StompVersion } from '../../../app/src/stomp/frame.js';
import { negotiateVersion } from '../../../app/src/stomp/version.js';

describe('negotiateVersion', () => {
  it.each<[string | undefined, readonly StompVersion[] | undefined, StompVersion | undefined]>([
    [undefined, undefined, '1.0'],
    ['1.0,1.1,1.2', undefined, '1.2'],
    ['1.2,1.1,1.0', undefined, '1.2'],
    ['1.1', undefined, '1.1'],
    ['1.0', undefined, '1.0'],
    ['1.0, 1.1', undefined, '1.1'],
    ['1.1,2.0', undefined, '1.1'],
    ['2.0', undefined, undefined],
    ['', undefined, undefined],
    ['1.2', ['1.1', '1.2'], '1.2'],
    ['1.0,1.1,1.2', ['1.1'], '1.1'],
    ['1.0', ['1.1', '1.2'], undefined],
    [undefined, ['1.1', '1.2'], undefined],
  ])('accept-version %j, server supports %j → %j', (acceptVersion, supported, expected) => {
    expect(negotiateVersion(acceptVersion, supported)).toBe(expected);
  });
});
