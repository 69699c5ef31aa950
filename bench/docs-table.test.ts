import { describe, expect, it } from 'vitest';
import { END_MARKER, MarkerError, replaceBetweenMarkers, START_MARKER } from './docs-table.js';

const doc = `# Benchmarks\n\nIntro written by hand.\n\n${START_MARKER}\n\nold table\n\n${END_MARKER}\n\n## Notes\n\nkept.\n`;

describe('replaceBetweenMarkers', () => {
  it('replaces only the text between the markers', () => {
    const out = replaceBetweenMarkers(doc, '| new | table |');
    expect(out).toContain('| new | table |');
    expect(out).not.toContain('old table');
    expect(out.startsWith('# Benchmarks\n\nIntro written by hand.\n\n')).toBe(true);
    expect(out.endsWith(`${END_MARKER}\n\n## Notes\n\nkept.\n`)).toBe(true);
  });

  it('gives the same document when applied twice with the same table', () => {
    const once = replaceBetweenMarkers(doc, 'table');
    expect(replaceBetweenMarkers(once, 'table')).toBe(once);
  });

  it('refuses a document without both markers', () => {
    expect(() => replaceBetweenMarkers('# nothing here', 'x')).toThrow(MarkerError);
    expect(() => replaceBetweenMarkers(`${END_MARKER}\n${START_MARKER}`, 'x')).toThrow(MarkerError);
  });

  it('refuses a document with two pairs of markers', () => {
    expect(() => replaceBetweenMarkers(doc + doc, 'x')).toThrow(MarkerError);
  });
});
