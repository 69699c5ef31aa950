import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

interface Row {
  readonly fault: string;
  readonly status: number;
  readonly when: string;
}

function documentedRows(): Map<string, Row> {
  const text = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, Row>();
  for (const line of text.split('\n')) {
    const m = /^\|\s*`([A-Za-z]+)`\s*\|\s*(\w+)\s*\|\s*(\d+)\s*\|(.*)\|\s*$/.exec(line);
    if (m) rows.set(m[1]!, { fault: m[2]!, status: Number(m[3]), when: m[4]!.trim() });
  }
  return rows;
}

/** Every exported subclass of KmsError, read from the module's exports. */
function exceptionClasses(): Map<string, errors.KmsError> {
  const out = new Map<string, errors.KmsError>();
  for (const value of Object.values(errors)) {
    if (typeof value !== 'function' || value === errors.KmsError) continue;
    if (!(value.prototype instanceof errors.KmsError)) continue;
    const instance = new (value as new (message: string) => errors.KmsError)('probe');
    out.set(instance.type, instance);
  }
  return out;
}

describe('docs/errors.md', () => {
  it('finds the exception classes and the table rows it compares', () => {
    expect(exceptionClasses().size).toBeGreaterThan(20);
    expect(documentedRows().size).toBeGreaterThan(20);
  });

  it('has a row for every exception class in src/errors.ts', () => {
    const documented = documentedRows();
    const missing = [...exceptionClasses().keys()].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('has no row for a class that does not exist', () => {
    const classes = exceptionClasses();
    const extra = [...documentedRows().keys()].filter((name) => !classes.has(name));
    expect(extra).toEqual([]);
  });

  it('gives each class its real fault and HTTP status, and says when it is thrown', () => {
    const documented = documentedRows();
    for (const [name, instance] of exceptionClasses()) {
      const row = documented.get(name);
      if (!row) continue;
      expect({ name, fault: row.fault, status: row.status }).toEqual({
        name,
        fault: instance.fault,
        status: instance.status,
      });
      expect(row.when.length).toBeGreaterThan(10);
    }
  });
});
