import { MacAddress } from '@kame/addr';
import type { LinkEndpoint } from '@kame/link';
import type { Ifnet, KernelNode } from '@kame/stack';

export interface AttachOptions {
  /** Interface MTU (default 1500). */
  mtu?: number;
  /**
   * Administratively up (ifconfig up) once attached, default true. The
   * interface only runs while the endpoint also has carrier.
   */
  up?: boolean;
}

/** A KernelNode Ethernet interface wired to a LinkEndpoint. */
export interface AttachedInterface {
  readonly node: KernelNode;
  readonly ifp: Ifnet;
  readonly endpoint: LinkEndpoint;
  /** ifconfig up: marks the interface wanted up; it comes up now if the endpoint has carrier. */
  up(): void;
  /** ifconfig down. */
  down(): void;
  /**
   * Unhooks the driver and the listeners and takes the interface down; the
   * endpoint itself stays open (closeEndpoint: true closes it too).
   */
  detach(opts?: { closeEndpoint?: boolean }): void;
}

/**
 * Attaches an Ethernet interface `ifname` to `node` whose driver hands every
 * frame to `endpoint.send`, feeds the endpoint's frames to `node.input`, and
 * follows the endpoint's carrier with ifUp/ifDown (while wanted up).
 */
export function attachNode(
  node: KernelNode,
  ifname: string,
  mac: MacAddress | string,
  endpoint: LinkEndpoint,
  opts: AttachOptions = {},
): AttachedInterface {
  const lladdr = typeof mac === 'string' ? MacAddress.parse(mac) : mac;
  let attached = true;
  let wantUp = opts.up ?? true;
  const ifp = node.attachEthernet(
    ifname,
    lladdr,
    {
      output: (frame) => {
        if (attached) endpoint.send(frame);
      },
    },
    opts.mtu ?? 1500,
  );
  const follow = () => {
    if (!attached) return;
    if (wantUp && endpoint.carrier) node.ifUp(ifname);
    else node.ifDown(ifname);
  };
  const offReceive = endpoint.onReceive((frame) => {
    if (attached) node.input(ifp.index, frame);
  });
  const offCarrier = endpoint.onCarrier(() => follow());
  follow();
  return {
    node,
    ifp,
    endpoint,
    up() {
      wantUp = true;
      follow();
    },
    down() {
      wantUp = false;
      follow();
    },
    detach(o = {}) {
      if (!attached) return;
      node.ifDown(ifname);
      attached = false;
      offReceive();
      offCarrier();
      if (o.closeEndpoint) endpoint.close();
    },
  };
}
