import { editDistance, suggest } from './suggest';

describe('did-you-mean', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit each', () => {
    expect(editDistance('role', 'role')).toBe(0);
    expect(editDistance('rol', 'role')).toBe(1);
    expect(editDistance('roles', 'role')).toBe(1);
    expect(editDistance('rule', 'role')).toBe(1);
    expect(editDistance('nodse', 'nodes')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the closest key within a third of its length, else nothing', () => {
    expect(suggest('rol', ['kind', 'role', 'sysctl'])).toBe('role');
    expect(suggest('nodse', ['name', 'nodes', 'links'])).toBe('nodes');
    expect(suggest('Roel', ['role'])).toBe('role');
    expect(suggest('zzz', ['kind', 'role'])).toBeUndefined();
    expect(suggest('interfacez', ['interfaces', 'daemons'])).toBe('interfaces');
  });
});
