import { LocalBackplane } from '../../app/src/backplane/local-backplane.js';
import { describeBackplaneContract } from './backplane.contract.js';

// One process is one instance: the in-process backplane cannot be joined with another.
describeBackplaneContract('in-process', async ({ logCapacity }) => {
  const backplane = new LocalBackplane(logCapacity);
  return { instances: [backplane], close: () => backplane.close() };
});
