import { TimerScope } from './timer-scope';
import { VirtualClock } from './virtual-clock';

describe('TimerScope', () => {
  it('tracks pending timers, forgets fired and cancelled ones, and close() cancels the rest', () => {
    const clock = new VirtualClock();
    const scope = new TimerScope(clock);
    const fired: string[] = [];
    scope.setTimer(10, () => fired.push('a'));
    const b = scope.setTimer(20, () => fired.push('b'));
    scope.setTimer(30, () => fired.push('c'));
    expect(scope.size).toBe(3);
    clock.advance(10);
    b.cancel();
    expect(scope.size).toBe(1);
    scope.close();
    expect(scope.size).toBe(0);
    clock.advance(100);
    expect(fired).toEqual(['a']);
    // After close, new timers are born cancelled.
    const late = scope.setTimer(1, () => fired.push('late'));
    expect(late.pending).toBe(false);
    clock.advance(5);
    expect(fired).toEqual(['a']);
    expect(clock.nextDeadline()).toBeUndefined();
  });
});
