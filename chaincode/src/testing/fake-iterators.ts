// Query iterators shaped like fabric-shim's: next()/close(), and query promises that are also async iterables.
import type { Iterators } from 'fabric-shim';

/**
 * Like fabric-shim's StateQueryIterator / HistoryQueryIterator over an already fetched result.
 * As in the shim, the final next() resolves to `{ done: true }` with no value.
 */
export class FakeQueryIterator<T> implements Iterators.CommonIterator<T> {
  private position = 0;
  private isClosed = false;

  constructor(private readonly items: readonly T[]) {}

  /** Whether close() was called (directly or by a finished for-await loop). */
  get closed(): boolean {
    return this.isClosed;
  }

  async next(): Promise<Iterators.NextResult<T>> {
    const value = this.items[this.position];
    if (value === undefined) {
      // The shim's runtime shape; its .d.ts claims a value is always present.
      return { done: true } as Iterators.NextResult<T>;
    }
    this.position++;
    return { value, done: false };
  }

  async close(): Promise<void> {
    this.isClosed = true;
  }
}

/**
 * Gives a query promise the shim's async-iterable face: for-await reads the iterator
 * (found directly or in `.iterator`) and closes it at the end or on break.
 */
export function asyncIterable<R, T>(
  promise: Promise<R>,
  iteratorOf: (resolved: R) => Iterators.CommonIterator<T>,
): Promise<R> & AsyncIterable<T> {
  const iterable: AsyncIterable<T> = {
    [Symbol.asyncIterator]: (): AsyncIterator<T> => {
      let iterator: Iterators.CommonIterator<T> | undefined;
      return {
        next: async (): Promise<IteratorResult<T>> => {
          iterator ??= iteratorOf(await promise);
          const result = await iterator.next();
          if (result.done) {
            await iterator.close();
            return { done: true, value: undefined };
          }
          return { done: false, value: result.value };
        },
        return: async (): Promise<IteratorResult<T>> => {
          await iterator?.close();
          return { done: true, value: undefined };
        },
      };
    },
  };
  return Object.assign(promise, iterable);
}
