// An SQLite audit store (in memory) whose appends a test can make fail or hold until released.
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { sqliteAuditStore } from '../../src/store/sqlite/audit-store.js';
import type { AuditRow, AuditStore } from '../../src/store/audit-store.js';

export interface ControlledAuditStore extends AuditStore {
  /** While true, appends fail as a full disk would. */
  failing: boolean;
  /** The size of every committed batch, in order. */
  readonly batches: number[];
  /** Makes the next appends wait until release(); resolves when one is waiting. */
  hold(): Promise<void>;
  release(): void;
}

export function controlledAuditStore(): ControlledAuditStore {
  const inner = sqliteAuditStore(openSqliteDatabase(':memory:'));
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  let waiting: (() => void) | undefined;
  const store: ControlledAuditStore = {
    ...inner,
    failing: false,
    batches: [],
    async append(rows: readonly AuditRow[]) {
      if (gate !== undefined) {
        waiting?.();
        await gate;
      }
      if (store.failing) throw new Error('database or disk is full');
      await inner.append(rows);
      store.batches.push(rows.length);
    },
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    release() {
      gate = undefined;
      open?.();
    },
  };
  return store;
}
