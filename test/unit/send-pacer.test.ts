import { describe, expect, it } from 'vitest';
import { SendPacer } from '../../shared/store/mailer';

describe('SendPacer', () => {
  it('spaces sends to the rate, however many ask at once', async () => {
    let clock = 1_000;
    const starts: number[] = [];
    const pacer = new SendPacer(
      4,
      () => clock,
      async (ms) => {
        clock += ms;
      },
    );
    for (let index = 0; index < 8; index += 1) {
      await pacer.wait();
      starts.push(clock);
    }
    expect(starts).toEqual([1_000, 1_250, 1_500, 1_750, 2_000, 2_250, 2_500, 2_750]);
  });

  it('does not save up unused time for a burst', async () => {
    let clock = 0;
    const pacer = new SendPacer(
      2,
      () => clock,
      async (ms) => {
        clock += ms;
      },
    );
    await pacer.wait();
    clock = 10_000;
    await pacer.wait();
    const before = clock;
    await pacer.wait();
    expect(clock - before).toBe(500);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new SendPacer(0)).toThrow(RangeError);
  });
});
