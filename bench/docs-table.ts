// Replaces the generated part of docs/benchmarks.md, between its two markers; the rest of the file
// is written by people and is never touched.

export const START_MARKER = '<!-- bench-results:start -->';
export const END_MARKER = '<!-- bench-results:end -->';

export class MarkerError extends Error {}

/** The document with everything between the markers replaced by `generated`. */
export function replaceBetweenMarkers(document: string, generated: string): string {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start)
    throw new MarkerError(`the document needs ${START_MARKER} followed by ${END_MARKER}`);
  if (document.indexOf(START_MARKER, start + 1) >= 0 || document.indexOf(END_MARKER, end + 1) >= 0)
    throw new MarkerError('the document has more than one pair of markers');
  return (
    document.slice(0, start + START_MARKER.length) +
    '\n\n' +
    generated.trim() +
    '\n\n' +
    document.slice(end)
  );
}
