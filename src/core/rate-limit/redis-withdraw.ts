/**
 * bottleneck 2.19.5 (pinned exactly in package.json) has no public way to take one queued job out of
 * its queue. Left in, an aborted job would hold its place until capacity came back (up to a whole
 * reservoir window), then spend a reservoir slot. So the job is unlinked from bottleneck's queue under
 * its register lock (the lock its drain loop holds while it picks the next job, so the queue cannot
 * change under us), and dropped with the abort reason. test/core/rate-limit-internals.test.ts fails if
 * these internals move.
 */
import type Bottleneck from 'bottleneck';

interface QueueNode {
  value: { options: { id: string }; doDrop(options: { error: unknown }): boolean };
  prev: QueueNode | null;
  next: QueueNode | null;
}
interface QueueList {
  _first: QueueNode | null;
  _last: QueueNode | null;
  length: number;
  decr?: () => void;
}
interface BottleneckInternals {
  _registerLock?: { schedule<R>(task: () => R | Promise<R>): Promise<R> };
  _queues?: { _lists?: QueueList[] };
}

export async function withdraw(bottleneck: Bottleneck, id: string, reason: unknown): Promise<boolean> {
  const internals = bottleneck as unknown as BottleneckInternals;
  const lock = internals._registerLock;
  if (!lock) return false;
  return lock.schedule(() => {
    if (bottleneck.jobStatus(id) !== 'QUEUED') return false;
    for (const list of internals._queues?._lists ?? []) {
      for (let node = list._first; node; node = node.next) {
        if (node.value.options.id !== id) continue;
        if (node.prev) node.prev.next = node.next;
        else list._first = node.next;
        if (node.next) node.next.prev = node.prev;
        else list._last = node.prev;
        list.length -= 1;
        list.decr?.(); // keeps bottleneck's queue count right, and unrefs its timer when the queue empties
        return node.value.doDrop({ error: reason });
      }
    }
    return false;
  });
}
