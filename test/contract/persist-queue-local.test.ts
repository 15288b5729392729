import { LocalBackplane } from '../../app/src/backplane/local-backplane.js';
import { LocalPersistQueue } from '../../app/src/backplane/local-persist-queue.js';
import { describePersistQueueContract } from './persist-queue.contract.js';

// One process holds the one queue: both "instances" read the same object.
describePersistQueueContract('in-process', async ({ claimIdleMs }) => {
  const queue = new LocalPersistQueue(claimIdleMs);
  const backplane = new LocalBackplane(1_000, queue.enqueue);
  return {
    backplane,
    queues: [queue, queue],
    close: async () => {
      await Promise.all([queue.close(), backplane.close()]);
    },
  };
});
