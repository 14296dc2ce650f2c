/**
 * Scenario 1c splits a page's period at the answer's headers; the split is only meaningful for a client
 * with one request in flight, and must say so otherwise rather than print a figure.
 */
import { describe, expect, it } from 'vitest';
import { pageCost, type Probe } from '../../bench/scenarios/request-cost.js';

describe('pageCost', () => {
  it('splits the period between calls into the wait for the headers and the client time', () => {
    // Calls every 1.0 ms; headers 0.6 ms after each call: 600 us waiting, 400 us in the client.
    const probe: Probe = {
      calls: [
        { at: 10, headersAt: 10.6 },
        { at: 11, headersAt: 11.6 },
        { at: 12, headersAt: 12.6 },
        { at: 13, headersAt: 13.6 },
      ],
      inFlight: 0,
      maxInFlight: 1,
    };
    const cost = pageCost(probe);
    expect(cost.periodUs).toBeCloseTo(1000, 6);
    expect(cost.headersUs).toBeCloseTo(600, 6);
    expect(cost.clientUs).toBeCloseTo(400, 6);
    expect(cost.inFlight).toBe(1);
  });

  it('gives no split when requests overlapped', () => {
    const probe: Probe = {
      calls: [
        { at: 0, headersAt: 2 },
        { at: 0.5, headersAt: 2.2 },
        { at: 2.1, headersAt: 4 },
      ],
      inFlight: 0,
      maxInFlight: 2,
    };
    expect(pageCost(probe)).toEqual({ periodUs: 1050, headersUs: null, clientUs: null, inFlight: 2 });
  });

  it('refuses a drain of a single request, which has no period', () => {
    expect(() => pageCost({ calls: [{ at: 1, headersAt: 2 }], inFlight: 0, maxInFlight: 1 })).toThrow(/no period/);
  });
});
