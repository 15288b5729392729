import type { DataSource, EntitySchema } from 'typeorm';

/**
 * A value converted the way typeorm stores it in the given column. typeorm converts
 * inserted and updated values, but not parameters of a WHERE clause, and better-sqlite3
 * cannot bind a Date at all (typeorm stores SQLite datetimes as UTC text).
 */
export function persistedValue<T>(
  dataSource: DataSource,
  entity: EntitySchema<T>,
  property: keyof T & string,
  value: unknown,
): unknown {
  const column = dataSource.getMetadata(entity).findColumnWithPropertyName(property);
  if (column === undefined) throw new Error(`${entity.options.name} has no column for '${property}'`);
  return dataSource.driver.preparePersistentValue(value, column);
}
