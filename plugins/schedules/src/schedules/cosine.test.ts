import { describe, expect, it } from 'vitest';
import { cosine } from './cosine.js';

// Cosine annealing without restarts (Loshchilov & Hutter, SGDR, ICLR 2017, eq. 5 with η_min = 0):
// η_t/η = ½(1 + cos(π·t/T)). Values below worked by hand from cos(π/4) = √2/2, cos(π/3) = ½ and
// ½(1 + cos(π − x)) = sin²(x/2), then evaluated in Python (0.5 + math.sqrt(2)/4, math.sin(math.pi/1000)**2).
const T = 500;
const AT = [
  [0, 1],
  [T / 4, 0.8535533905932737], // ½ + √2/4
  [T / 2, 0.5],
  [(3 * T) / 4, 0.1464466094067262], // ½ − √2/4
  [T, 0],
] as const;
const LAST_STEP = 9.869571931435076e-6; // t = T − 1: sin²(π/(2T)) = sin²(π/1000)

describe('cosine', () => {
  it('equals the SGDR cosine at steps 0, T/4, T/2, 3T/4 and T', () => {
    for (const [t, expected] of AT) expect(cosine.multiplier(t, T, {})).toBeCloseTo(expected, 15);
    // A third of the way into another run length: ½(1 + cos(π/3)) = 0.75.
    expect(cosine.multiplier(200, 600, {})).toBeCloseTo(0.75, 15);
  });

  it('is sin²(π/2T) at the last step of a run (t = T − 1), small but still above 0', () => {
    const last = cosine.multiplier(T - 1, T, {});
    expect(Math.abs(last - LAST_STEP) / LAST_STEP).toBeLessThan(1e-9);
  });

  it('never rises during a run', () => {
    const values = Array.from({ length: 300 }, (_, t) => cosine.multiplier(t, 300, {}));
    expect(values.every((v, t) => t === 0 || v <= (values[t - 1] as number))).toBe(true);
  });

  it('holds its final value past the end instead of rising again', () => {
    expect(cosine.multiplier(1000, 500, {})).toBe(0);
  });
});
