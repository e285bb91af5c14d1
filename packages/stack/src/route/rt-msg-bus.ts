import type { RtMessage, RtMessageInput } from './rt-msg';

export type RtListener = (msg: RtMessage) => void;

/**
 * Fan-out of routing-socket messages (route(4): every routing socket sees
 * every message, including replies to other processes' requests). Delivery is
 * synchronous and in publish order; a listener that unsubscribes during
 * delivery still gets the message being delivered, and no later ones.
 */
export class RtMessageBus {
  private listeners: RtListener[] = [];
  private seq = 0;

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: RtListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  /** The kernel's next sequence number, for messages nobody asked for. */
  nextSeq(): number {
    this.seq = (this.seq + 1) | 0;
    return this.seq;
  }

  /** Delivers `msg`; a missing seq is taken from the kernel counter. Returns the message delivered. */
  publish(input: RtMessageInput): RtMessage {
    const msg = { ...input, seq: input.seq ?? this.nextSeq() } as RtMessage;
    for (const l of this.listeners) l(msg);
    return msg;
  }
}
