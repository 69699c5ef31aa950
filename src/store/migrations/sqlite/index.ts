// The SQLite migrations in order. Each feature adds its own file with the next free number.
import type { Migration } from '../migration.js';
import { migration0001 } from './0001-keys.js';
import { migration0002 } from './0002-principals.js';
import { migration0003 } from './0003-grants.js';
import { migration0004 } from './0004-audit.js';
import { migration0005 } from './0005-key-usage-unreferenced.js';

export const sqliteMigrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
];
