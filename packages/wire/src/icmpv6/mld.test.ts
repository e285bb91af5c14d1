import { Ipv6Address } from '@kame/addr';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { hex, plain as norm, roundTrip, toHex, a6, ph } from '../../test/support/properties';
import { type Icmpv6Repr, icmpv6 } from './icmpv6';
import {
  MLD_CHANGE_TO_EXCLUDE_MODE,
  MLD_MODE_IS_EXCLUDE,
  type Mldv2QueryRepr,
  decodeMaxRespCode,
  decodeQqic,
  encodeMaxRespCode,
  encodeQqic,
} from './mld';

// e2-mld.pcap frame 1: FRR pim6d's general query (after the Hop-by-Hop header).
const FRR_QUERY = hex('8200d3332710000000000000000000000000000000000000027d0000');
const FRR_QUERY_PH = ph('fe80::fcd3:fff:fe91:77fe', 'ff02::1');
// e2-mld.pcap frame 9: a Linux MLDv2 report with 7 records.
const LINUX_REPORT = hex(
  '8f0072570000000702000000ff02000000000000000000000000001602000000ff02000000000000000000000000000d' +
    '02000000ff0200000000000000000001ff00000002000000ff0200000000000000000001ff00000102000000ff0500' +
    '0000000000000000000000000202000000ff02000000000000000000000000000202000000ff0200000000000000000001ff9177fe',
);
const LINUX_REPORT_PH = ph('fe80::fcd3:fff:fe91:77fe', 'ff02::16');
// a-radvd.pcap frame 1: a Linux report joining the solicited-node group (CHANGE_TO_EXCLUDE).
const LINUX_JOIN = hex('8f00a5ae0000000104000000ff0200000000000000000001ff18acfe');
const LINUX_JOIN_PH = ph('fe80::202d:52ff:fe18:acfe', 'ff02::16');

const ctx = ph('fe80::1', 'ff02::1');
const noCk = { ...ctx, verifyChecksum: false };

describe('MLD (RFC 2710, RFC 3810)', () => {
  it('RFC 3810 5.1: decodes FRR pim6d general query (e2-mld.pcap frame 1) as tshark does', () => {
    // e2-mld.json: maximum_response_code 10000, ::, flag 0x02 (S 0, QRV 2), qqi 125, 0 sources.
    expect(norm(icmpv6.parse(FRR_QUERY, FRR_QUERY_PH))).toEqual({
      kind: 'mldv2Query',
      code: 0,
      maxResponseDelay: 10000,
      multicastAddress: '::',
      suppressRouterSide: false,
      qrv: 2,
      qqi: 125,
      sources: [],
    });
    expect(toHex(icmpv6.encode(icmpv6.parse(FRR_QUERY, FRR_QUERY_PH), FRR_QUERY_PH))).toBe(toHex(FRR_QUERY));
  });

  it('RFC 3810 5.2: decodes a Linux report with 7 records (e2-mld.pcap frame 9) and re-encodes it', () => {
    const r = icmpv6.parse(LINUX_REPORT, LINUX_REPORT_PH);
    expect(r.kind).toBe('mldv2Report');
    if (r.kind !== 'mldv2Report') return;
    // e2-mld.json: all records are type 2 (MODE_IS_EXCLUDE), no aux data, no sources.
    expect(r.records.map((x) => x.multicastAddress.toString())).toEqual([
      'ff02::16',
      'ff02::d',
      'ff02::1:ff00:0',
      'ff02::1:ff00:1',
      'ff05::2',
      'ff02::2',
      'ff02::1:ff91:77fe',
    ]);
    for (const rec of r.records) {
      expect(rec.recordType).toBe(MLD_MODE_IS_EXCLUDE);
      expect(rec.sources).toEqual([]);
      expect(rec.auxData.length).toBe(0);
    }
    expect(toHex(icmpv6.encode(r, LINUX_REPORT_PH))).toBe(toHex(LINUX_REPORT));
  });

  it('RFC 3810 5.2.12: CHANGE_TO_EXCLUDE join (a-radvd.pcap frame 1)', () => {
    expect(norm(icmpv6.parse(LINUX_JOIN, LINUX_JOIN_PH))).toEqual({
      kind: 'mldv2Report',
      code: 0,
      records: [
        {
          recordType: MLD_CHANGE_TO_EXCLUDE_MODE,
          multicastAddress: 'ff02::1:ff18:acfe',
          sources: [],
          auxData: '',
        },
      ],
    });
  });

  it('RFC 2710 3: MLDv1 query, report and done, golden bytes', () => {
    const q = icmpv6.encode(
      { kind: 'mldQuery', code: 0, maxResponseDelay: 10000, multicastAddress: a6('::') },
      ctx,
    );
    expect(toHex(q.subarray(4))).toBe('27100000' + '00'.repeat(16));
    expect(icmpv6.parse(q, ctx).kind).toBe('mldQuery');
    const rep = icmpv6.encode(
      { kind: 'mldReport', code: 0, maxResponseDelay: 0, multicastAddress: a6('ff02::1:ff00:1') },
      ctx,
    );
    expect(rep[0]).toBe(131);
    expect(norm(icmpv6.parse(rep, ctx))).toEqual({
      kind: 'mldReport',
      code: 0,
      maxResponseDelay: 0,
      multicastAddress: 'ff02::1:ff00:1',
    });
    const done = icmpv6.encode(
      { kind: 'mldDone', code: 0, maxResponseDelay: 0, multicastAddress: a6('ff05::2') },
      ctx,
    );
    expect(done[0]).toBe(132);
    expect(icmpv6.parse(done, ctx).kind).toBe('mldDone');
  });

  it('RFC 3810 8.1: a 24-byte query is MLDv1, 28+ is MLDv2, 25-27 is ignored (DecodeError)', () => {
    const q = new Uint8Array(28);
    q[0] = 130;
    expect(icmpv6.parse(q.subarray(0, 24), noCk).kind).toBe('mldQuery');
    expect(icmpv6.parse(q, noCk).kind).toBe('mldv2Query');
    for (const n of [25, 26, 27])
      expect(() => icmpv6.parse(q.subarray(0, n), noCk)).toThrow(/MLD query length/);
    expect(() => icmpv6.parse(q.subarray(0, 23), noCk)).toThrow(DecodeError);
  });

  it('RFC 3810 5.1.12: octets after the sources are ignored; too few sources is a DecodeError', () => {
    const q = hex(
      '82000000 03e8 0000' + 'ff02' + '00'.repeat(13) + '01' + '0a 7d 0001' + '20010db8' + '00'.repeat(12),
    );
    const withExtra = new Uint8Array(q.length + 4);
    withExtra.set(q);
    expect(norm(icmpv6.parse(withExtra, noCk))).toMatchObject({
      kind: 'mldv2Query',
      suppressRouterSide: true,
      qrv: 2,
      sources: ['2001:db8::'],
    });
    expect(() => icmpv6.parse(q.subarray(0, q.length - 1), noCk)).toThrow(/MLDv2 query sources/);
  });

  it('RFC 3810 5.2: truncated records are DecodeErrors', () => {
    expect(() => icmpv6.parse(LINUX_REPORT.subarray(0, LINUX_REPORT.length - 1), noCk)).toThrow(
      /MLDv2 record 6/,
    );
    expect(() => icmpv6.parse(hex('8f000000 0000'), noCk)).toThrow(/MLDv2 report/);
    // aux data length counts 32-bit words
    const aux = hex('8f000000 00000001 01010000 ff020000000000000000000000000001 deadbeef');
    const r = icmpv6.parse(aux, noCk);
    expect(norm(r)).toMatchObject({ records: [{ recordType: 1, auxData: 'deadbeef' }] });
  });

  it('RFC 3810 5.1.3: Maximum Response Code exponential encoding', () => {
    expect(decodeMaxRespCode(0x7fff)).toBe(32767);
    expect(decodeMaxRespCode(0x8000)).toBe(32768);
    expect(decodeMaxRespCode(0xffff)).toBe(0x1fff << 10);
    expect(encodeMaxRespCode(32768)).toBe(0x8000);
    expect(encodeMaxRespCode(32775)).toBe(0x8000); // rounds down to a representable value
    expect(encodeMaxRespCode(1e9)).toBe(0xffff);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (c) => {
        expect(encodeMaxRespCode(decodeMaxRespCode(c))).toBe(c);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x1fff << 10 }), (ms) => {
        expect(decodeMaxRespCode(encodeMaxRespCode(ms))).toBeLessThanOrEqual(ms);
      }),
    );
  });

  it('RFC 3810 5.1.9: QQIC exponential encoding', () => {
    expect(decodeQqic(125)).toBe(125);
    expect(decodeQqic(0x80)).toBe(128);
    expect(decodeQqic(0xff)).toBe(31 << 10);
    for (let c = 0; c < 256; c++) expect(encodeQqic(decodeQqic(c))).toBe(c);
    expect(encodeQqic(1e6)).toBe(0xff);
  });

  it('round-trips MLDv1 and MLDv2 reprs (property)', () => {
    const ipv6Arb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Ipv6Address.fromBytes(b));
    const code = fc.integer({ min: 0, max: 255 });
    const arb: fc.Arbitrary<Icmpv6Repr> = fc.oneof(
      fc.record({
        kind: fc.constantFrom<'mldQuery' | 'mldReport' | 'mldDone'>('mldQuery', 'mldReport', 'mldDone'),
        code,
        maxResponseDelay: fc.integer({ min: 0, max: 0xffff }),
        multicastAddress: ipv6Arb,
      }),
      fc.record({
        kind: fc.constant<'mldv2Query'>('mldv2Query'),
        code,
        maxResponseDelay: fc.integer({ min: 0, max: 0xffff }).map(decodeMaxRespCode),
        multicastAddress: ipv6Arb,
        suppressRouterSide: fc.boolean(),
        qrv: fc.integer({ min: 0, max: 7 }),
        qqi: fc.integer({ min: 0, max: 255 }).map(decodeQqic),
        sources: fc.array(ipv6Arb, { maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant<'mldv2Report'>('mldv2Report'),
        code,
        records: fc.array(
          fc.record({
            recordType: fc.integer({ min: 0, max: 255 }),
            multicastAddress: ipv6Arb,
            sources: fc.array(ipv6Arb, { maxLength: 3 }),
            auxData: fc
              .integer({ min: 0, max: 3 })
              .chain((k) => fc.uint8Array({ minLength: 4 * k, maxLength: 4 * k })),
          }),
          { maxLength: 4 },
        ),
      }),
    );
    roundTrip(
      arb,
      (r) => icmpv6.encode(r, ctx),
      (b) => icmpv6.parse(b, ctx),
      {
        normalize: norm,
        bufferLen: (r) => icmpv6.bufferLen(r),
      },
    );
  });

  it('emits a v2 query with the encoded Max Resp Code and QQIC', () => {
    const q: Mldv2QueryRepr = {
      kind: 'mldv2Query',
      code: 0,
      maxResponseDelay: 65536,
      multicastAddress: a6('ff0e::1'),
      suppressRouterSide: false,
      qrv: 7,
      qqi: 256,
      sources: [],
    };
    const b = icmpv6.encode(q, ctx);
    expect(toHex(b.subarray(4, 6))).toBe('9000'); // exp 1, mant 0: 0x1000 << 4
    expect(b[24]).toBe(0x07);
    expect(b[25]).toBe(0x90); // exp 1, mant 0: 0x10 << 4
  });
});
