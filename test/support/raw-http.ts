// Reads HTTP/1.1 answers off raw bytes, for tests that talk to a server over a plain socket and check
// what is on the wire: status line, header names and order, and the body.

export interface RawAnswer {
  readonly statusLine: string;
  /** Names as sent, values with surrounding whitespace trimmed, in order. */
  readonly headers: [string, string][];
  readonly body: string;
}

/** A header's value by name, in any case. */
export function rawHeader(answer: RawAnswer | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  return answer?.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/**
 * The complete answers at the start of `received`, bodies read by their Content-Length (none without
 * one, as for a 1xx), and the bytes they take; what follows is an answer still arriving.
 */
export function splitAnswers(received: Buffer): { answers: RawAnswer[]; used: number } {
  const answers: RawAnswer[] = [];
  let used = 0;
  for (;;) {
    const rest = received.subarray(used);
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers = lines.map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const lengthText = headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
    const length = lengthText === undefined ? 0 : Number(lengthText);
    if (rest.length < end + 4 + length) break;
    answers.push({
      statusLine,
      headers,
      body: rest.subarray(end + 4, end + 4 + length).toString('utf8'),
    });
    used += end + 4 + length;
  }
  return { answers, used };
}
