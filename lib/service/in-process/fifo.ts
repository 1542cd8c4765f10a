/**
 * A first-in first-out queue with O(1) push and shift, kept in chunks.
 * `Array#shift` copies the array once it is large, which made a
 * 100,000-item Map quadratic; and one large array is old by the time it is
 * full, so every push of a new message into it costs the garbage collector a
 * remembered slot. Chunks of {@link CHUNK} are filled while young.
 */
const CHUNK = 1024;

export class Fifo<T> {
  /** The chunks, oldest first; the last is being filled. */
  private chunks: (T | undefined)[][] = [[]];
  /** Index of the oldest item in the first chunk. */
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    let last = this.chunks[this.chunks.length - 1];
    if (last.length === CHUNK) this.chunks.push((last = []));
    last.push(item);
    this.size++;
  }

  /** Puts an item before all others: the next one shift returns. */
  unshift(item: T): void {
    if (this.head > 0) this.chunks[0][--this.head] = item;
    else this.chunks.unshift([item]);
    this.size++;
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.size > 0 ? this.chunks[0][this.head] : undefined;
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const first = this.chunks[0];
    const item = first[this.head];
    first[this.head++] = undefined;
    this.size--;
    if (this.head === first.length) {
      // The first chunk is used up: drop it (or, as the only one, start it over).
      if (this.chunks.length > 1) this.chunks.shift();
      else first.length = 0;
      this.head = 0;
    }
    return item;
  }
}
