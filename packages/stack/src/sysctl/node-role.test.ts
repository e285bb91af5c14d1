import { nodeRoleFor } from './node-role';

describe('IMPLEMENTATION 1.4.2 accept_rtadv x forwarding role table', () => {
  it('0 0: host (to be manually configured)', () => {
    const r = nodeRoleFor(0, 0);
    expect(r).toMatchObject({
      role: 'host',
      isRouter: false,
      forwards: false,
      acceptsRA: false,
      autoconfigures: false,
      sendsRS: false,
      mayAdvertise: false,
      manualConfiguration: true,
      withinSpec: true,
    });
    expect(r.description).toBe('host (to be manually configured)');
  });

  it('0 1: router', () => {
    expect(nodeRoleFor(0, 1)).toMatchObject({
      role: 'router',
      isRouter: true,
      forwards: true,
      acceptsRA: false,
      sendsRS: false,
      mayAdvertise: true,
      withinSpec: true,
    });
  });

  it('1 0: autoconfigured host', () => {
    expect(nodeRoleFor(1, 0)).toMatchObject({
      role: 'autoconfigured-host',
      isRouter: false,
      forwards: false,
      acceptsRA: true,
      autoconfigures: true,
      sendsRS: true,
      mayAdvertise: false,
      manualConfiguration: false,
      withinSpec: true,
      rtsoldWarnings: [],
    });
  });

  it('1 1: invalid, or experimental (out of scope; KAME still allows it)', () => {
    const r = nodeRoleFor(1, 1);
    expect(r).toMatchObject({ role: 'invalid', withinSpec: false, isRouter: true, acceptsRA: true });
    expect(r.rtsoldWarnings).toEqual(['kernel is configured as a router, not a host']);
  });
});
