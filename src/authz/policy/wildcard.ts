// Compiles IAM wildcard patterns (`*` any run, `?` one character) into fast predicates; never evaluates policies.

export type StringTest = (value: string) => boolean;

const always: StringTest = () => true;

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}

/** A predicate for one pattern; exact strings and trailing-`*` prefixes avoid regular expressions. */
export function compileWildcard(pattern: string, ignoreCase: boolean): StringTest {
  if (pattern === '*') return always;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const star = p.indexOf('*');
  const hasQuestion = p.includes('?');
  if (star < 0 && !hasQuestion) {
    return ignoreCase ? (v) => v.toLowerCase() === p : (v) => v === p;
  }
  if (!hasQuestion && star === p.length - 1) {
    const prefix = p.slice(0, -1);
    return ignoreCase ? (v) => v.toLowerCase().startsWith(prefix) : (v) => v.startsWith(prefix);
  }
  const source = p
    .split('*')
    .map((part) => part.split('?').map(escapeRegExp).join('.'))
    .join('.*');
  const re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return (v) => re.test(v);
}

/** True when any of the patterns matches. */
export function compileWildcards(patterns: readonly string[], ignoreCase: boolean): StringTest {
  if (patterns.includes('*')) return always;
  const tests = patterns.map((p) => compileWildcard(p, ignoreCase));
  if (tests.length === 1) return tests[0] ?? (() => false);
  return (v) => tests.some((t) => t(v));
}

/** Matches an ARN segment by segment (the first five colons split it), as ArnLike and Resource do. */
export function compileArnPattern(pattern: string): StringTest {
  if (pattern === '*') return always;
  const parts = splitArn(pattern);
  // A pattern that is not a six-part ARN matches only itself: a wildcard never spans segments.
  if (!parts) return (value) => value === pattern;
  const tests = parts.map((p) => compileWildcard(p, false));
  return (value) => {
    const v = splitArn(value);
    return v !== undefined && tests.every((t, i) => t(v[i] ?? ''));
  };
}

/** Splits `arn:partition:service:region:account:resource` into six parts, or undefined. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}
