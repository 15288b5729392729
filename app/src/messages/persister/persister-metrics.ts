import { Counter, type Registry } from 'prom-client';
import type { PersisterMetrics } from './message-persister.js';

/** The persister's counters on the service's registry (the backlog gauge is registered by the module). */
export function createPersisterMetrics(registry: Registry): PersisterMetrics {
  const written = new Counter({
    name: 'persister_written_total',
    help: 'Room messages the persister has seen stored in the message store',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'persister_failures_total',
    help: 'Failed batch writes to the message store (each retry counts)',
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'persister_rejected_total',
    help: 'Messages the store refused as taken: seq-taken (sequence reused) or client-msg-id-taken (client retry)',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    written: (count) => written.inc(count),
    failed: () => failures.inc(),
    rejected: (reason, count) => rejected.inc({ reason }, count),
  };
}
