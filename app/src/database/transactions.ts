import type { DataSource, EntityManager } from 'typeorm';

/**
 * Every write goes through here: `run` for a unit of work in a transaction, `write` for a
 * single statement.
 *
 * typeorm's better-sqlite3 driver shares ONE connection (and one query runner) for the
 * whole process, so two overlapping `dataSource.transaction()` calls would silently nest
 * as savepoints of each other, and a write issued while another flow's transaction is
 * open would be rolled back with it. On SQLite every write therefore waits its turn
 * (SQLite allows one writer anyway). MySQL gets a pooled connection per call and needs
 * no queue; its single statements skip the BEGIN/COMMIT round trips.
 *
 * Inside a unit of work use the EntityManager it is given; calling run() or write()
 * again from inside would wait for itself on SQLite.
 */
export class Transactions {
  private readonly serialize: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(work);
    return this.enqueue(() => this.dataSource.transaction(work));
  }

  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return work(this.dataSource.manager);
    return this.enqueue(() => work(this.dataSource.manager));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = (tails.get(this.dataSource) ?? Promise.resolve()).then(work);
    // The queue moves on whatever this unit's outcome; the caller still sees it.
    tails.set(
      this.dataSource,
      result.catch(() => undefined),
    );
    return result;
  }
}

// One queue per connection, not per Transactions object: two instances over the same
// SQLite DataSource (a test wiring things by hand, say) must still take turns.
const tails = new WeakMap<DataSource, Promise<unknown>>();
