import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readPcap } from '../../src/pcap/index';
import { type TsObject, tsharkPackets } from './tshark-json';

export const VECTORS_DIR = join(__dirname, '..', 'vectors');
/** vxlan-outer.pcap's underlay ports (its README: decode with -d udp.port==47890,vxlan ...). */
export const GOLDEN_VXLAN_PORTS = [47890, 47891];

export interface GoldenFrame {
  file: string;
  /** 1-based, as tshark numbers frames. */
  number: number;
  bytes: Uint8Array;
  timestamp: bigint;
  /** tshark's `_source.layers` for this frame. */
  layers: TsObject;
}

/** Every frame of test/vectors/*.pcap with its stored tshark dissection. */
export function loadGoldenFrames(): GoldenFrame[] {
  const out: GoldenFrame[] = [];
  const files = readdirSync(VECTORS_DIR)
    .filter((n) => n.endsWith('.pcap'))
    .sort();
  for (const f of files) {
    const pkts = readPcap(readFileSync(join(VECTORS_DIR, f)));
    const json = tsharkPackets(readFileSync(join(VECTORS_DIR, f.replace(/\.pcap$/, '.json')), 'utf8'));
    if (json.length !== pkts.length)
      throw new Error(`${f}: ${pkts.length} frames but ${json.length} dissections`);
    pkts.forEach((p, i) =>
      out.push({ file: f, number: i + 1, bytes: p.data, timestamp: p.timestamp, layers: json[i]! }),
    );
  }
  return out;
}
