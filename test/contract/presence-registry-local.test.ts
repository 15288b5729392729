import { randomUUID } from 'node:crypto';
import { LocalPresenceRegistry, LocalPresenceState } from '../../app/src/presence/local-presence-registry.js';
import { describePresenceRegistryContract } from './presence-registry.contract.js';

// Several in-process registries over one shared state stand for instances of one cluster.
describePresenceRegistryContract('in-process', async (timing) => {
  const state = new LocalPresenceState(timing);
  return { instance: () => new LocalPresenceRegistry(state, randomUUID()), close: async () => {} };
});
