import { EventEmitter } from 'node:events';
import { holdSignals, installSignals, type SignalSource } from './signals';

function source(): EventEmitter & SignalSource {
  return new EventEmitter() as EventEmitter & SignalSource;
}

describe('installSignals', () => {
  it('rtadvd: SIGUSR1 dumps, SIGTERM shuts down; each signal runs its own action', () => {
    const s = source();
    const seen: string[] = [];
    installSignals(s, { SIGUSR1: () => seen.push('dump'), SIGTERM: () => seen.push('die') });
    s.emit('SIGUSR1');
    s.emit('SIGTERM');
    s.emit('SIGUSR1');
    s.emit('SIGHUP'); // no action installed
    expect(seen).toEqual(['dump', 'die', 'dump']);
  });

  it('uninstall removes exactly the listeners it added (idempotent)', () => {
    const s = source();
    const other = jest.fn();
    s.on('SIGHUP', other);
    const action = jest.fn();
    const uninstall = installSignals(s, { SIGHUP: action, SIGINT: action, SIGUSR2: undefined });
    expect(s.listenerCount('SIGHUP')).toBe(2);
    expect(s.listenerCount('SIGINT')).toBe(1);
    expect(s.listenerCount('SIGUSR2')).toBe(0);
    uninstall();
    uninstall();
    s.emit('SIGHUP');
    s.emit('SIGINT');
    expect(action).not.toHaveBeenCalled();
    expect(other).toHaveBeenCalledTimes(1);
    expect(s.listenerCount('SIGHUP')).toBe(1);
  });
});

describe('holdSignals', () => {
  it('keeps signals that arrive during setup and runs them, in order, once the actions are in', () => {
    const src = new EventEmitter();
    const held = holdSignals(src as unknown as SignalSource, ['SIGTERM', 'SIGUSR1']);
    // Held: the signal neither kills nor acts yet.
    src.emit('SIGUSR1');
    src.emit('SIGTERM');
    expect(src.listenerCount('SIGTERM')).toBe(1);
    const ran: string[] = [];
    const uninstall = held.release({ SIGUSR1: () => ran.push('dump'), SIGTERM: () => ran.push('stop') });
    expect(ran).toEqual(['dump', 'stop']);
    src.emit('SIGUSR1');
    expect(ran).toEqual(['dump', 'stop', 'dump']);
    expect(src.listenerCount('SIGTERM')).toBe(1);
    uninstall();
    held.dispose();
    expect(src.listenerCount('SIGTERM')).toBe(0);
  });

  it('dispose() without release lets signals have their default action again', () => {
    const src = new EventEmitter();
    const held = holdSignals(src as unknown as SignalSource, ['SIGTERM']);
    held.dispose();
    held.dispose();
    expect(src.listenerCount('SIGTERM')).toBe(0);
  });
});
