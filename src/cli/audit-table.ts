// The human-readable table `trent audit query` prints: one line per record, from its stored event.
import type { AuditRow } from '../store/audit-store.js';

interface EventView {
  eventTime?: string;
  eventName?: string;
  userIdentity?: { arn?: string | null; accessKeyId?: string | null };
  sourceIPAddress?: string;
  errorCode?: string | null;
  resources?: { ARN?: string }[];
  requestID?: string;
}

const COLUMNS = ['SEQ', 'TIME', 'OPERATION', 'OUTCOME', 'PRINCIPAL', 'KEY', 'SOURCE', 'REQUEST'];

export function formatTable(rows: readonly AuditRow[]): string {
  const lines = rows.map((row) => {
    const e = JSON.parse(row.event) as EventView;
    return [
      String(row.seq),
      e.eventTime ?? '',
      e.eventName ?? '',
      e.errorCode ?? 'ok',
      e.userIdentity?.arn ??
        `(unauthenticated${e.userIdentity?.accessKeyId ? ` ${e.userIdentity.accessKeyId}` : ''})`,
      (e.resources ?? []).map((r) => r.ARN ?? '').join(',') || '-',
      e.sourceIPAddress ?? '',
      e.requestID ?? '',
    ];
  });
  const all = [COLUMNS, ...lines];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((l) => (l[i] ?? '').length)));
  return (
    all
      .map((l) =>
        l
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
