/**
 * The one abstraction every link speaks: an endpoint is a port on a
 * segment that carries whole Ethernet frames (no preamble, no FCS, no
 * padding). A node interface attaches to exactly one endpoint; a segment
 * (hub, learning switch, VXLAN tunnel) joins N of them.
 */
export interface LinkEndpoint {
  /** Label for logs, captures and statistics ("r1:em0", "seg1/3", "vxlan:4242"). */
  readonly name: string;
  /** Hands a frame from the attached interface to the segment (asynchronous delivery). */
  send(frame: Uint8Array): void;
  /** Frames the segment delivers to this endpoint; returns an unsubscribe function. */
  onReceive(listener: FrameListener): () => void;
  /**
   * Optional: frames the endpoint accepted from its interface (what a
   * capture shows as sent). Taps use it when present; returns an unsubscribe function.
   */
  onSend?(listener: FrameListener): () => void;
  /** Carrier (link state): false while the cable is cut or the segment is down. */
  readonly carrier: boolean;
  /** Carrier changes, so the stack can follow link state (RTM_IFINFO). */
  onCarrier(listener: (up: boolean) => void): () => void;
  readonly stats: EndpointStats;
  /** Detaches from the segment; later sends are dropped and counted. */
  close(): void;
}

export type FrameListener = (frame: Uint8Array) => void;

/** Per-endpoint counters (in = delivered to the endpoint, out = sent by it). */
export interface EndpointStats {
  framesOut: number;
  bytesOut: number;
  framesIn: number;
  bytesIn: number;
  /** Frames dropped by impairments (loss, MTU, rate limit queue), carrier down or a closed endpoint. */
  dropped: number;
  /** Extra copies made by the duplication impairment. */
  duplicated: number;
}

export function newEndpointStats(): EndpointStats {
  return { framesOut: 0, bytesOut: 0, framesIn: 0, bytesIn: 0, dropped: 0, duplicated: 0 };
}

/** What a segment offers: attach a new endpoint; close everything. */
export interface Segment {
  readonly name: string;
  attach(name: string): LinkEndpoint;
  readonly endpoints: readonly LinkEndpoint[];
  close(): void;
}
