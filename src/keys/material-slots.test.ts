import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MaterialSlots, NO_SLOT, SLOT_BYTES } from './material-slots.js';

const bytes = (fill: number) => Buffer.alloc(SLOT_BYTES, fill);

describe('material slots', () => {
  it('keeps a copy of each key’s bytes, apart from the caller’s', () => {
    const slots = new MaterialSlots(4);
    const mine = bytes(1);
    const a = slots.put(mine);
    const b = slots.put(bytes(2));
    mine.fill(0);
    expect(a).not.toBe(b);
    expect(slots.view(a)).toEqual(bytes(1));
    expect(slots.view(b)).toEqual(bytes(2));
    expect(slots.size).toBe(2);
  });

  it('zeroes a released slot, refuses to read it, and hands it to the next key', () => {
    const slots = new MaterialSlots(4);
    const a = slots.put(bytes(1));
    const seen = slots.view(a);
    slots.release(a);
    expect(seen).toEqual(bytes(0));
    expect(() => slots.view(a)).toThrow(/holds no material/);
    expect(slots.size).toBe(0);
    const b = slots.put(bytes(3));
    expect(b).toBe(a);
    expect(slots.view(b)).toEqual(bytes(3));
  });

  it('refuses to release a slot twice, which would give two keys one slot', () => {
    const slots = new MaterialSlots(4);
    const a = slots.put(bytes(1));
    slots.release(a);
    expect(() => {
      slots.release(a);
    }).toThrow(/holds no material/);
    const b = slots.put(bytes(2));
    const c = slots.put(bytes(3));
    expect(b).not.toBe(c);
  });

  it('refuses slots never handed out', () => {
    const slots = new MaterialSlots(4);
    for (const slot of [NO_SLOT, 0, 3, 4, 1.5, Number.NaN])
      expect(() => slots.view(slot)).toThrow(/holds no material/);
  });

  it('takes material of the AES-256 length only', () => {
    const slots = new MaterialSlots(4);
    expect(() => slots.put(Buffer.alloc(16, 1))).toThrow(RangeError);
    expect(() => slots.put(Buffer.alloc(33, 1))).toThrow(RangeError);
    expect(slots.size).toBe(0);
  });

  it('grows past its first size, keeping every key’s bytes and zeroing the copy it leaves', () => {
    const slots = new MaterialSlots(2);
    const a = slots.put(bytes(1));
    const before = slots.view(a);
    const more = [2, 3, 4, 5, 6].map((fill) => slots.put(bytes(fill)));
    expect(before).toEqual(bytes(0));
    expect(slots.view(a)).toEqual(bytes(1));
    more.forEach((slot, i) => {
      expect(slots.view(slot)).toEqual(bytes(i + 2));
    });
    expect(new Set([a, ...more]).size).toBe(6);
  });

  it('forgets and zeroes everything on clear', () => {
    const slots = new MaterialSlots(4);
    const a = slots.put(bytes(1));
    const seen = slots.view(a);
    slots.clear();
    expect(seen).toEqual(bytes(0));
    expect(slots.size).toBe(0);
    expect(() => slots.view(a)).toThrow(/holds no material/);
  });

  it('prints no material', () => {
    const slots = new MaterialSlots(4);
    slots.put(bytes(0xab));
    for (const text of [inspect(slots), String(slots), JSON.stringify({ slots })]) {
      expect(text).not.toMatch(/ab|171/);
      expect(text).toContain('redacted');
    }
  });
});
