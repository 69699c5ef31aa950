// Detects a wrong root key before any key is touched: the store keeps a canary wrapped under the root
// key it was created with. A mismatch stops start-up instead of silently orphaning every key.
import type { Store } from '../store/store.js';
import type { RootKey } from './root-key.js';

const CANARY = 'root-key-check';
const CANARY_TEXT = 'trent root key check v1';

export async function checkRootKey(store: Store, root: RootKey): Promise<void> {
  const stored = await store.getMeta(CANARY);
  if (stored === undefined) {
    await store.setMeta(CANARY, root.wrap(Buffer.from(CANARY_TEXT), CANARY).toString('base64'));
    return;
  }
  let opened: Buffer;
  try {
    opened = root.unwrap(Buffer.from(stored, 'base64'), CANARY);
  } catch {
    throw new Error(
      'the root key does not match this data directory (wrong or replaced root.key); refusing to start',
    );
  }
  if (opened.toString() !== CANARY_TEXT)
    throw new Error('the root key check failed; refusing to start');
}
