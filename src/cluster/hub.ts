// The primary's side of cache coordination: one lock per scope for all workers, and the broadcast of
// each change to every other worker, which applies it before it takes the lock next and before the
// change's author may answer.
import { isEmptyChange, type ChangeSet } from './coordinator.js';
import type { PrimaryMessage, WorkerMessage } from './messages.js';

/** A worker process as the hub sees it. */
export interface Peer {
  readonly id: number;
  send(message: PrimaryMessage): void;
}

interface Holder {
  readonly peer: Peer;
  readonly requestId: number;
}

interface Broadcast {
  readonly author: Holder;
  readonly waiting: Set<number>;
}

export class ClusterHub {
  readonly #peers = new Map<number, Peer>();
  /** Peers that have said hello: they receive every change from then on. */
  readonly #online = new Set<number>();
  /** Per scope: who holds the lock, and who waits for it in order. */
  readonly #locks = new Map<string, { holder: Holder; queue: Holder[] }>();
  /** Lock requests by peer and request id, to find the scope on unlock. */
  readonly #held = new Map<string, string>();
  readonly #broadcasts = new Map<number, Broadcast>();
  #nextBroadcast = 1;

  /**
   * A worker process just started. It is sent changes once it says hello (a process that is not yet
   * listening on its channel would lose them); it says hello before it loads its caches, so every
   * change is either in what it loads or sent to it.
   */
  attach(peer: Peer): void {
    this.#peers.set(peer.id, peer);
  }

  /** A worker that exited: its locks are released and nobody waits for it. */
  detach(peerId: number): void {
    this.#peers.delete(peerId);
    this.#online.delete(peerId);
    for (const [id, b] of this.#broadcasts) {
      if (b.waiting.delete(peerId)) this.#settleIfDone(id, b);
    }
    for (const [scope, lock] of this.#locks) {
      for (const h of lock.queue)
        if (h.peer.id === peerId) this.#held.delete(heldKey(peerId, h.requestId));
      lock.queue = lock.queue.filter((h) => h.peer.id !== peerId);
      if (lock.holder.peer.id === peerId) this.#release(scope);
    }
  }

  get peers(): number {
    return this.#peers.size;
  }

  receive(from: Peer, message: WorkerMessage): void {
    // A message still in flight from a worker that has exited changes nothing.
    if (this.#peers.get(from.id) !== from) return;
    switch (message.trent) {
      case 'hello':
        this.#online.add(from.id);
        from.send({ trent: 'welcome' });
        return;
      case 'lock':
        this.#lock(message.scope, { peer: from, requestId: message.id });
        return;
      case 'unlock':
        this.#unlock(from, message.id, message.changes);
        return;
      case 'publish':
        this.#broadcast({ peer: from, requestId: message.id }, message.changes);
        return;
      case 'applied': {
        const b = this.#broadcasts.get(message.id);
        if (b?.waiting.delete(from.id)) this.#settleIfDone(message.id, b);
        return;
      }
      case 'listening':
      case 'failed':
      case 'write':
      case 'usage':
        // The primary's own business (src/cluster/primary.ts).
        return;
    }
  }

  #lock(scope: string, holder: Holder): void {
    this.#held.set(heldKey(holder.peer.id, holder.requestId), scope);
    const lock = this.#locks.get(scope);
    if (lock) {
      lock.queue.push(holder);
      return;
    }
    this.#locks.set(scope, { holder, queue: [] });
    holder.peer.send({ trent: 'locked', id: holder.requestId });
  }

  #unlock(from: Peer, requestId: number, changes: ChangeSet): void {
    const key = heldKey(from.id, requestId);
    const scope = this.#held.get(key);
    const lock = scope === undefined ? undefined : this.#locks.get(scope);
    if (scope === undefined || lock?.holder.peer.id !== from.id) return;
    this.#broadcast(lock.holder, changes);
    // The next holder may go on now: its channel delivers these changes before its `locked`, and it
    // applies what it received before it runs. The author answers only once every worker applied them.
    this.#release(scope);
  }

  /** Sends the changes to every other worker and answers the author once all have applied them. */
  #broadcast(author: Holder, changes: ChangeSet): void {
    const others = [...this.#peers.values()].filter(
      (p) => p.id !== author.peer.id && this.#online.has(p.id),
    );
    if (isEmptyChange(changes) || others.length === 0) {
      author.peer.send({ trent: 'unlocked', id: author.requestId });
      return;
    }
    const id = this.#nextBroadcast++;
    this.#broadcasts.set(id, { author, waiting: new Set(others.map((p) => p.id)) });
    for (const p of others) p.send({ trent: 'changes', id, changes });
  }

  #settleIfDone(id: number, b: Broadcast): void {
    if (b.waiting.size > 0) return;
    this.#broadcasts.delete(id);
    if (this.#peers.has(b.author.peer.id))
      b.author.peer.send({ trent: 'unlocked', id: b.author.requestId });
  }

  #release(scope: string): void {
    const lock = this.#locks.get(scope);
    if (!lock) return;
    this.#held.delete(heldKey(lock.holder.peer.id, lock.holder.requestId));
    const next = lock.queue.shift();
    if (!next) {
      this.#locks.delete(scope);
      return;
    }
    lock.holder = next;
    next.peer.send({ trent: 'locked', id: next.requestId });
  }
}

function heldKey(peerId: number, requestId: number): string {
  return `${String(peerId)}:${String(requestId)}`;
}
