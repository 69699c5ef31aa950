// Fills the server's key store and walks it: creating keys in parallel (timed) and paging through
// ListKeys (each page timed). Uses the public API only, as a user would.
import { callKms, inParallel, type Endpoint } from './kms-call.js';
import type { ListKeysTiming, Population } from './results.js';
import type { RequestSigner } from './sigv4.js';
import { percentile } from './stats.js';

export const POPULATE_CONCURRENCY = 32;
const LIST_LIMIT = 1000;

export async function createKeys(
  endpoint: Endpoint,
  signer: RequestSigner,
  count: number,
  progress: (done: number) => void = () => undefined,
): Promise<{ keyIds: string[]; population: Population }> {
  const started = performance.now();
  const checkpoints: { keys: number; seconds: number }[] = [];
  let done = 0;
  const keyIds = await inParallel(
    Array.from({ length: count }, (_, i) => i),
    POPULATE_CONCURRENCY,
    async () => {
      const out = await callKms(endpoint, signer, 'CreateKey', { Description: 'benchmark key' });
      done++;
      if (done % Math.max(1, Math.floor(count / 10)) === 0) {
        checkpoints.push({ keys: done, seconds: (performance.now() - started) / 1000 });
        progress(done);
      }
      return String((out.KeyMetadata as Record<string, unknown>).KeyId);
    },
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    keyIds,
    population: {
      method: `CreateKey over HTTP, ${String(POPULATE_CONCURRENCY)} in flight`,
      created: count,
      seconds,
      keysPerSecond: seconds === 0 ? 0 : count / seconds,
      checkpoints,
    },
  };
}

/** Every key id, page by page at the largest page size, with each page's latency. */
export async function listAllKeys(
  endpoint: Endpoint,
  signer: RequestSigner,
): Promise<{ keyIds: string[]; timing: ListKeysTiming }> {
  const keyIds: string[] = [];
  const pageMs: number[] = [];
  let marker: string | undefined;
  const started = performance.now();
  do {
    const input: Record<string, unknown> = { Limit: LIST_LIMIT };
    if (marker !== undefined) input.Marker = marker;
    const t0 = performance.now();
    const page = await callKms(endpoint, signer, 'ListKeys', input);
    pageMs.push(performance.now() - t0);
    for (const k of (page.Keys ?? []) as { KeyId: string }[]) keyIds.push(k.KeyId);
    marker = page.Truncated === true ? String(page.NextMarker) : undefined;
  } while (marker !== undefined);
  const totalSeconds = (performance.now() - started) / 1000;
  const sorted = [...pageMs].sort((a, b) => a - b);
  return {
    keyIds,
    timing: {
      keysListed: keyIds.length,
      pages: pageMs.length,
      limit: LIST_LIMIT,
      totalSeconds,
      pageP50Ms: percentile(sorted, 50),
      pageP99Ms: percentile(sorted, 99),
      pageMaxMs: sorted[sorted.length - 1] ?? 0,
    },
  };
}
