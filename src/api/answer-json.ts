// The JSON text of an operation's answer. JSON.stringify reads every character of a string to find
// those it must escape: over the 1.5 KB of base64 in an Encrypt or Decrypt answer that costs about
// 2.4 µs, more than the rest of the text. Members the KMS model types as blobs hold base64 text, which
// has nothing to escape, so they are written as they are; everything else is JSON.stringify's.
import type { WireObject } from './services.js';

/** Top-level answer members the model types as blobs (base64 on the wire), in every operation. */
export const BASE64_MEMBERS: ReadonlySet<string> = new Set([
  'CiphertextBlob',
  'CiphertextForRecipient',
  'ImportToken',
  'Mac',
  'Plaintext',
  'PrivateKeyCiphertextBlob',
  'PrivateKeyPlaintext',
  'PublicKey',
  'SharedSecret',
  'SharedSecretCiphertextBlob',
  'Signature',
]);

/** Shorter texts cost JSON.stringify less than the checks below. */
const MIN_RAW_LENGTH = 64;

/**
 * Whether `text` can sit between two quotes as it is. The operations fill blob members with
 * `buffer.toString('base64')`; this check makes sure that no other text could end the string early or
 * escape out of it (a quote or a backslash), or carry a character that JSON writes differently
 * (anything outside ASCII). Base64 holds no control character, the one kind it does not look for.
 */
function isRawText(text: string): boolean {
  return (
    Buffer.byteLength(text, 'utf8') === text.length && !text.includes('"') && !text.includes('\\')
  );
}

/** A member the model types as a blob, long enough that writing it as it is pays for the check. */
function isLongBlob(name: string, value: unknown): value is string {
  return typeof value === 'string' && value.length >= MIN_RAW_LENGTH && BASE64_MEMBERS.has(name);
}

/** Exactly `JSON.stringify(output)`, for an answer of plain JSON data. */
export function answerJson(output: WireObject): string {
  const names = Object.keys(output);
  if (!names.some((name) => isLongBlob(name, output[name]))) return JSON.stringify(output);
  let text = '{';
  for (const name of names) {
    const value = output[name];
    // Undefined for what JSON.stringify leaves out of an object (undefined, a function, a symbol).
    const member: string | undefined =
      isLongBlob(name, value) && isRawText(value) ? `"${value}"` : JSON.stringify(value);
    if (member === undefined) continue;
    text += `${text.length === 1 ? '' : ','}${JSON.stringify(name)}:${member}`;
  }
  return `${text}}`;
}
