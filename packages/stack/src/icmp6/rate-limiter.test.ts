import { VirtualClock } from '@kame/time';
import { Sysctl } from '../sysctl/sysctl';
import { newIcmp6Stat } from '../stats/icmp6stat';
import { Icmp6RateLimiter } from './rate-limiter';

function burst(l: Icmp6RateLimiter, n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (l.allow()) ok++;
  return ok;
}

describe('Icmp6RateLimiter (RFC 4443 2.4 (f), errppslimit)', () => {
  it('allows errppslimit (default 100) at once, then counts icp6s_toofreq', () => {
    const clock = new VirtualClock();
    const stats = newIcmp6Stat();
    const l = new Icmp6RateLimiter({ clock, stats });
    expect(l.limit).toBe(100);
    expect(burst(l, 150)).toBe(100);
    expect(stats.icp6s_toofreq).toBe(50);
    expect(l.stats).toEqual({ allowed: 100, suppressed: 50 });
  });

  it('refills at errppslimit tokens per second', () => {
    const clock = new VirtualClock();
    const l = new Icmp6RateLimiter({ clock, limit: 100 });
    burst(l, 100);
    expect(l.allow()).toBe(false);
    clock.advance(10); // 10 ms at 100/s: one token
    expect(burst(l, 5)).toBe(1);
    clock.advance(1000);
    expect(burst(l, 200)).toBe(100);
  });

  it('never banks more than one second of tokens', () => {
    const clock = new VirtualClock();
    const l = new Icmp6RateLimiter({ clock, limit: 10 });
    clock.advance(60_000);
    expect(l.available()).toBe(10);
    expect(burst(l, 100)).toBe(10);
  });

  it('sustains errppslimit per second over time', () => {
    const clock = new VirtualClock();
    const l = new Icmp6RateLimiter({ clock, limit: 50 });
    burst(l, 50);
    let sent = 0;
    for (let ms = 0; ms < 5000; ms++) {
      clock.advance(1);
      sent += burst(l, 3);
    }
    expect(sent).toBe(250);
  });

  it('negative errppslimit is unlimited; 0 sends nothing', () => {
    const clock = new VirtualClock();
    expect(burst(new Icmp6RateLimiter({ clock, limit: -1 }), 10_000)).toBe(10_000);
    const none = new Icmp6RateLimiter({ clock, limit: 0 });
    clock.advance(5000);
    expect(burst(none, 10)).toBe(0);
    expect(none.stats.suppressed).toBe(10);
  });

  it('follows net.inet6.icmp6.errppslimit live', () => {
    const clock = new VirtualClock();
    const sysctl = new Sysctl();
    const l = new Icmp6RateLimiter({ clock, limit: () => sysctl.get('net.inet6.icmp6.errppslimit') });
    expect(burst(l, 5)).toBe(5);
    sysctl.set('net.inet6.icmp6.errppslimit', 2);
    expect(burst(l, 5)).toBe(2);
    sysctl.set('net.inet6.icmp6.errppslimit', -1);
    expect(burst(l, 500)).toBe(500);
    sysctl.set('net.inet6.icmp6.errppslimit', 3);
    expect(burst(l, 5)).toBe(3);
  });
});
