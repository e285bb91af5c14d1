import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TsObject, parseTsharkJson, tsharkPackets } from './tshark-json';

describe('tshark JSON loader', () => {
  it('keeps duplicate keys in order and flattens arrays', () => {
    const doc = parseTsharkJson('{"a": "1", "b": {"c": 2}, "a": "3", "d": ["4", "5"], "a": ["6"]}');
    expect(doc).toBeInstanceOf(TsObject);
    const o = doc as TsObject;
    expect(o.strs('a')).toEqual(['1', '3', '6']);
    expect(o.strs('d')).toEqual(['4', '5']);
    expect(o.obj('b').all('c')).toEqual([2]);
    expect(o.deep('c')).toEqual([2]);
  });

  it('handles escapes, literals and numbers, and rejects bad input', () => {
    const o = parseTsharkJson(
      '{"s": "a\\"b\\u00b7", "t": true, "f": false, "n": null, "x": -1.5e2}',
    ) as TsObject;
    expect(o.str('s')).toBe('a"b\u00b7');
    expect(o.all('t')).toEqual([true]);
    expect(o.all('x')).toEqual([-150]);
    expect(() => parseTsharkJson('{"a": }')).toThrow(SyntaxError);
    expect(() => parseTsharkJson('[1, 2')).toThrow(SyntaxError);
  });

  it('reads every vector file and keeps both Ethernet layers of a VXLAN frame', () => {
    const dir = join(__dirname, '../vectors');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const pkts = tsharkPackets(readFileSync(join(dir, f), 'utf8'));
      expect(pkts.length).toBeGreaterThan(0);
    }
    const outer = tsharkPackets(readFileSync(join(dir, 'vxlan-outer.json'), 'utf8'));
    expect(outer[0]?.objs('eth').map((e) => e.str('eth.type'))).toEqual(['0x0800', '0x86dd']);
    const radvd = tsharkPackets(readFileSync(join(dir, 'a-radvd.json'), 'utf8'));
    expect(radvd[1]?.obj('icmpv6').objs('icmpv6.opt')).toHaveLength(4);
  });
});
