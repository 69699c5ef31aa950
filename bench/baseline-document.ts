// The fixed JSON answer of the baseline server: a document of exactly the requested byte length.

const EMPTY = '{"Padding":""}';

/** A JSON document of exactly `sizeBytes` bytes (at least the empty padding document's length). */
export function fixedDocument(sizeBytes: number): string {
  const padding = Math.max(0, Math.floor(sizeBytes) - EMPTY.length);
  return `{"Padding":"${'x'.repeat(padding)}"}`;
}
