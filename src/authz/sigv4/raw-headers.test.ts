// Header values read from rawHeaders through remembered layouts equal those groupHeaders gives.
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { groupHeaders } from './canonical-request.js';
import { readRawHeaders } from './raw-headers.js';

const NAMES = ['Host', 'host', 'X-Amz-Date', 'x-amz-date', 'Content-Type', 'authorization', 'X-A'];

function randomRawHeaders(): string[] {
  const raw: string[] = [];
  for (let n = randomInt(0, 6); n > 0; n--)
    raw.push(NAMES[randomInt(NAMES.length)] as string, `v${randomInt(1000)}`);
  return raw;
}

function lookups(raw: readonly string[]): string[] {
  return [...new Set([...raw.map((s) => s.toLowerCase()), 'host', 'x-amz-date', 'date', 'absent'])];
}

describe('readRawHeaders', () => {
  it('gives every name its values in arrival order, case folded, as groupHeaders does', () => {
    const raw = [
      'Host',
      'kms.local',
      'X-Amz-Date',
      '20261129T120000Z',
      'x-amz-DATE',
      'again',
      'A',
      ' b ',
    ];
    const headers = readRawHeaders(raw);
    expect(headers.get('host')).toEqual(['kms.local']);
    expect(headers.get('x-amz-date')).toEqual(['20261129T120000Z', 'again']);
    expect(headers.get('a')).toEqual([' b ']);
    expect(headers.get('Host')).toBeUndefined();
    expect(headers.get('date')).toBeUndefined();
  });

  it('reads the values of each request, not those of an earlier one with the same names', () => {
    const first = readRawHeaders(['Host', 'one', 'X-Amz-Date', 'd1']);
    const second = readRawHeaders(['Host', 'two', 'X-Amz-Date', 'd2']);
    const third = readRawHeaders(['host', 'three', 'x-amz-date', 'd3', 'host', 'four']);
    expect([first.get('host'), second.get('host'), third.get('host')]).toEqual([
      ['one'],
      ['two'],
      ['three', 'four'],
    ]);
    expect(second.get('x-amz-date')).toEqual(['d2']);
  });

  it('agrees with groupHeaders over many requests whose name orders come and go', () => {
    const layouts = Array.from({ length: 20 }, randomRawHeaders);
    for (let i = 0; i < 3000; i++) {
      // Known orders with new values, and now and then an unseen one.
      const names = (
        randomInt(4) === 0 ? randomRawHeaders() : layouts[randomInt(layouts.length)]
      ) as string[];
      const raw = names.map((s, j) => (j % 2 === 0 ? s : `${s}-${i}`));
      const expected = groupHeaders(raw);
      const headers = readRawHeaders(raw);
      for (const name of lookups(raw))
        expect(headers.get(name), `${raw.join('|')} ${name}`).toEqual(expected.get(name));
    }
  });

  it('does not let a caller change what later requests read', () => {
    const raw = ['Host', 'one'];
    const values = readRawHeaders(raw).get('host') as string[];
    values.push('changed');
    expect(readRawHeaders(['Host', 'two']).get('host')).toEqual(['two']);
  });
});
