import { SqliteTraceStore, type SqliteStoreOptions } from '../traces/index.js';

/**
 * Opens the database at `path`, hands it to `use` and closes it when `use` is done, also when it
 * throws or its promise rejects: the one open/close of a store for commands. By default the file
 * must exist (a read command's typo should not create an empty database); pass `{}` to create it.
 */
export function withStore<T>(path: string, use: (store: SqliteTraceStore) => T, options: SqliteStoreOptions = { mustExist: true }): T {
  const store = new SqliteTraceStore(path, options);
  let result: T;
  try {
    result = use(store);
  } catch (err) {
    store.close();
    throw err;
  }
  if (result instanceof Promise) return result.finally(() => store.close()) as T;
  store.close();
  return result;
}
