/**
 * A small listener list: subscribe returns its own unsubscribe, and emit
 * walks a snapshot so a listener may unsubscribe (itself or another) while
 * it runs without skipping or repeating anyone.
 */
export class Listeners<T> {
  private list: Array<(value: T) => void> = [];

  add(listener: (value: T) => void): () => void {
    // Wrap so the same function subscribed twice is two subscriptions.
    const entry = (value: T): void => listener(value);
    this.list = [...this.list, entry];
    return () => {
      this.list = this.list.filter((l) => l !== entry);
    };
  }

  emit(value: T): void {
    for (const l of this.list) l(value);
  }

  get size(): number {
    return this.list.length;
  }

  clear(): void {
    this.list = [];
  }
}
