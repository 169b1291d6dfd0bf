import { describe, expect, it } from 'vitest';
import { Conflator, ManualClock, parseFieldList, parseInterval, parseOptions } from '../../../mock-server/engine/index.js';

describe('option helpers', () => {
  it('parseInterval', () => {
    expect(parseInterval('300ms')).toBe(300);
    expect(parseInterval('2s')).toBe(2000);
    expect(parseInterval('1m')).toBe(60_000);
    expect(parseInterval('30')).toBe(30_000);
    expect(() => parseInterval('soon')).toThrow(expect.objectContaining({ reason: 'invalid options' }));
  });
  it('parseOptions honours brackets and trailing commas', () => {
    expect(parseOptions('replace,oof, top_n=10,conflation=2s,conflation_key=[/a,/b],')).toEqual([
      { name: 'replace' },
      { name: 'oof' },
      { name: 'top_n', value: '10' },
      { name: 'conflation', value: '2s' },
      { name: 'conflation_key', value: '[/a,/b]' },
    ]);
    expect(parseOptions(undefined)).toEqual([]);
    expect(parseFieldList('[/a, /b]')).toEqual(['/a', '/b']);
  });
});

describe('Conflator', () => {
  it('keeps the latest per key, in first-arrival order, released after the interval', () => {
    const clock = new ManualClock();
    const c = new Conflator<string>(2000, { clock });
    expect(c.offer('A', 'a1')).toBe(clock.now() + 2000);
    c.offer('B', 'b1');
    clock.advance(1000);
    c.offer('A', 'a2');
    expect(c.flush()).toEqual([]);
    clock.advance(1000);
    expect(c.flush()).toEqual(['a2', 'b1']);
    expect(c.due).toBeUndefined();
    c.offer('A', 'a3');
    expect(c.flush(clock.now(), true)).toEqual(['a3']);
  });
});
