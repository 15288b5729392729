import { MemoryThrottleCounter } from '../../app/src/identity/memory-throttle-counter.js';
import { describeThrottleCounterContract } from './throttle-counter.contract.js';

describeThrottleCounterContract('memory', async () => ({
  counter: (options) => new MemoryThrottleCounter(options),
  close: async () => undefined,
}));
