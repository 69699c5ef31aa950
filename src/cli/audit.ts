// `trent audit verify|query|export|prune`: reads the audit trail of a data directory (the server may be
// running). Prints records as the server stored them; never writes anything but a pruning.
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { anchorProblem, parseAnchor } from '../audit/anchor.js';
import { pruneAuditTrail } from '../audit/retention.js';
import { verifyAuditChain } from '../audit/verify-chain.js';
import { DAY_MS } from '../keys/clock.js';
import type { AuditFilter, AuditRow, AuditStore } from '../store/audit-store.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteAuditStore } from '../store/sqlite/audit-store.js';
import { formatTable } from './audit-table.js';

export const AUDIT_HELP = `Usage: trent audit <verify|query|export|prune> [options]

  verify    check the whole hash chain; names the first broken record (exit 1)
  query     print matching records as a table (default) or JSON lines
  export    write matching records as JSON lines (for a SIEM)
  prune     remove records older than --retention-days, keeping the chain verifiable

Options:
  --data-dir DIR          the server's data directory (default ./trent-data, or TRENT_DATA_DIR)
  --since TIME            records at or after TIME (ISO 8601, epoch milliseconds, or an age: 30m, 12h, 7d)
  --until TIME            records before TIME
  --key KEY               a key id or key ARN
  --principal ARN         the caller's principal ARN
  --operation NAME        e.g. Encrypt
  --outcome success|failure
  --format table|json     query output (default table)
  --limit N               at most N records (query)
  --output FILE           export destination (default standard output)
  --retention-days N      prune: keep this many days
  --anchor SEQ:HASH       verify: the chain must still hold record SEQ with this hash (a head noted
                          earlier); catches records removed from the end or a rewritten chain
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  key: { type: 'string' },
  principal: { type: 'string' },
  operation: { type: 'string' },
  outcome: { type: 'string' },
  format: { type: 'string' },
  limit: { type: 'string' },
  output: { type: 'string' },
  'retention-days': { type: 'string' },
  anchor: { type: 'string' },
  help: { type: 'boolean' },
} as const;

class UsageError extends Error {}

export async function runAudit(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help') {
    process.stdout.write(AUDIT_HELP);
    return sub === undefined ? 2 : 0;
  }
  try {
    const { values } = parseArgs({ args: [...rest], options: OPTIONS, strict: true });
    if (values.help === true) {
      process.stdout.write(AUDIT_HELP);
      return 0;
    }
    const dataDir = values['data-dir'] ?? process.env.TRENT_DATA_DIR ?? './trent-data';
    const dbPath = join(dataDir, 'trent.db');
    if (!existsSync(dbPath)) throw new UsageError(`no Trent data store in ${dataDir}`);
    const db = openSqliteDatabase(dbPath);
    try {
      const store = sqliteAuditStore(db);
      switch (sub) {
        case 'verify':
          return await verify(store, values.anchor);
        case 'query':
        case 'export':
          return await list(store, sub, values);
        case 'prune':
          return await prune(store, values['retention-days']);
        default:
          throw new UsageError(`unknown audit command '${sub}'`);
      }
    } finally {
      db.close();
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`trent audit: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}

async function verify(store: AuditStore, anchorText: string | undefined): Promise<number> {
  const anchor = anchorText === undefined ? undefined : parseAnchor(anchorText);
  if (anchorText !== undefined && anchor === undefined)
    throw new UsageError('--anchor must be SEQ:HASH (64 hex digits)');
  const report = await verifyAuditChain(store);
  const range = `records ${String(report.startSeq + 1)}..${String(report.headSeq)}`;
  if (report.broken) {
    const b = report.broken;
    process.stdout.write(
      `audit chain BROKEN at record ${String(b.seq)} (eventID ${b.eventId}): ${b.reason}\n` +
        `${String(report.records)} records before it are intact\n`,
    );
    return 1;
  }
  const problem = anchor && (await anchorProblem(store, report, anchor));
  if (problem !== undefined) {
    process.stdout.write(`audit chain BROKEN: ${problem}\n`);
    return 1;
  }
  const from = report.startSeq > 0 ? ` (from checkpoint at record ${String(report.startSeq)})` : '';
  process.stdout.write(
    `audit chain intact: ${String(report.records)} records, ${range}${from}\n` +
      `head: record ${String(report.headSeq)} hash ${report.headHash}\n` +
      `keep this anchor outside the server and pass it later: --anchor ${String(report.headSeq)}:${report.headHash}\n`,
  );
  return 0;
}

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

async function list(store: AuditStore, sub: 'query' | 'export', values: Values): Promise<number> {
  const format = sub === 'export' ? 'json' : (values.format ?? 'table');
  if (format !== 'table' && format !== 'json')
    throw new UsageError('--format must be table or json');
  const filter = filterOf(values);
  const limit = values.limit === undefined ? Infinity : positiveInt(values.limit, '--limit');
  const out =
    sub === 'export' && values.output !== undefined
      ? createWriteStream(values.output, { mode: 0o600 })
      : process.stdout;
  const rows: AuditRow[] = [];
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const page = await store.query({ ...filter, afterSeq, limit: Math.min(1000, limit - count) });
    if (page.length === 0) break;
    for (const row of page) {
      if (format === 'json') out.write(`${row.event}\n`);
      else rows.push(row);
    }
    count += page.length;
    afterSeq = page[page.length - 1]?.seq ?? afterSeq;
    if (count >= limit) break;
  }
  if (format === 'table') out.write(formatTable(rows));
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
  return 0;
}

function filterOf(values: Values): AuditFilter {
  const outcome = values.outcome;
  if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure')
    throw new UsageError('--outcome must be success or failure');
  return {
    ...(values.since !== undefined ? { since: timeOf(values.since, '--since') } : {}),
    ...(values.until !== undefined ? { until: timeOf(values.until, '--until') } : {}),
    ...(values.key !== undefined ? { key: values.key } : {}),
    ...(values.principal !== undefined ? { principalArn: values.principal } : {}),
    ...(values.operation !== undefined ? { eventName: values.operation } : {}),
    ...(outcome !== undefined ? { outcome } : {}),
  };
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** ISO 8601, epoch milliseconds, or an age such as 30m, 12h or 7d (that long ago). */
function timeOf(text: string, flag: string): number {
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) return Date.now() - Number(age[1]) * (UNIT_MS[age[2] ?? ''] ?? 0);
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag}: not a time: ${text}`);
  return ms;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}

async function prune(store: AuditStore, days: string | undefined): Promise<number> {
  if (days === undefined) throw new UsageError('prune needs --retention-days');
  const n = positiveInt(days, '--retention-days');
  const now = Date.now();
  const result = await pruneAuditTrail(store, now - n * DAY_MS, now);
  process.stdout.write(
    result.removed > 0
      ? `pruned ${String(result.removed)} records; checkpoint at record ${String(result.checkpointSeq)}\n`
      : 'nothing to prune\n',
  );
  return 0;
}
