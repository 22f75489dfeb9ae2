// Opens the index store the configuration names: SQLite (a file) by default, PostgreSQL for a postgres:// URL.
import type { IndexDatabase } from '../config.js';
import { openPostgresIndex } from './postgres-store.js';
import { openSqliteIndex } from './sqlite-store.js';
import type { IndexStore } from './store.js';

export function openIndexStore(database: IndexDatabase): IndexStore {
  return database.kind === 'sqlite' ? openSqliteIndex(database.path) : openPostgresIndex(database.url);
}
