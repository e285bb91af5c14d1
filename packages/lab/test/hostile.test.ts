import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkLab, LabError, resolveLab } from '../src';

const QUICKSTART = readFileSync(join(__dirname, '..', '..', '..', 'labs', 'quickstart.yaml'), 'utf8');

/** checkLab must answer every input with diagnostics or a spec, never an exception. */
function classify(text: string): 'spec' | 'errors' {
  const r = checkLab(text, 'h.yaml');
  for (const d of [...r.errors, ...r.warnings]) {
    expect(d).toBeInstanceOf(LabError);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
  }
  if (r.spec) {
    expect(r.errors).toEqual([]);
    resolveLab(r.spec);
    return 'spec';
  }
  expect(r.errors.length).toBeGreaterThan(0);
  return 'errors';
}

describe('hostile lab files', () => {
  it('property: arbitrary text gives diagnostics with positions, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => void classify(s)),
      { numRuns: 300, seed: 8 },
    );
  });

  it('property: the quick start with bytes deleted, duplicated or replaced still gives an answer', () => {
    const edit = fc.tuple(
      fc.nat(QUICKSTART.length - 1),
      fc.nat(8),
      fc.constantFrom('', ':', '-', ' ', '\n', '[', '{', '"', '*a', '&a', '%'),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let t = QUICKSTART;
        for (const [at, len, ins] of edits) t = t.slice(0, at) + ins + t.slice(at + len);
        classify(t);
      }),
      { numRuns: 150, seed: 8 },
    );
  });

  it('the unedited quick start gives a spec (so the property above is not vacuous)', () => {
    expect(classify(QUICKSTART)).toBe('spec');
  });
});
