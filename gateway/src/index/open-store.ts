// Opens the index store the configuration names: SQLite by default; PostgreSQL is declared but not implemented yet.
import type { IndexDatabase } from '../config.js';
import { openSqliteIndex } from './sqlite-store.js';
import type { IndexStore } from './store.js';

export function openIndexStore(database: IndexDatabase): IndexStore {
  if (database.kind === 'sqlite') return openSqliteIndex(database.path);
  throw new Error('AIAUDIT_INDEX_DATABASE_URL names PostgreSQL, but this gateway has only the SQLite index store; use sqlite:<path>');
}
