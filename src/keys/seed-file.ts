// Reads and validates a seed file (YAML or JSON): the keys, aliases and tags Trent creates at start-up.
// Every problem is one SeedError naming the file and the entry. It never echoes key material.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export class SeedError extends Error {}

const KEY_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ALIAS = /^alias\/[a-zA-Z0-9/_-]+$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const seedKeySchema = z.strictObject({
  keyId: z.string().regex(KEY_ID, 'must be a lower-case key id (UUID or mrk-…)'),
  keySpec: z.string().min(1).default('SYMMETRIC_DEFAULT'),
  keyUsage: z.string().min(1).optional(),
  /** `base64:<bytes>` (symmetric and HMAC keys) or a PEM private key (asymmetric keys). */
  material: z.string().min(1).optional(),
  description: z.string().max(8192).default(''),
  enabled: z.boolean().default(true),
  policy: z.string().min(1).optional(),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'must be 12 digits')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like us-east-1')
    .optional(),
  aliases: z
    .array(
      z
        .string()
        .max(256)
        .regex(ALIAS, 'must be alias/<name> using only letters, digits, /, _ and -')
        .refine((a) => !a.startsWith('alias/aws/'), 'alias/aws/ is reserved for AWS managed keys'),
    )
    .max(50)
    .default([]),
  tags: z
    .record(
      z
        .string()
        .min(1)
        .max(128)
        .refine((k) => !k.toLowerCase().startsWith('aws:'), 'tag keys may not begin with aws:'),
      scalar.pipe(z.string().max(256)),
    )
    .refine((t) => Object.keys(t).length <= 50, 'a key can have at most 50 tags')
    .default({}),
});

const seedFileSchema = z.strictObject({
  keys: z.array(seedKeySchema).default([]),
});

export type SeedKey = z.infer<typeof seedKeySchema>;
export type SeedFile = z.infer<typeof seedFileSchema>;

function describeEntry(raw: unknown, index: number): string {
  const entry = Array.isArray(raw) ? (raw[index] as unknown) : undefined;
  const keyId =
    typeof entry === 'object' && entry !== null && 'keyId' in entry ? entry.keyId : undefined;
  return typeof keyId === 'string'
    ? `keys[${String(index)}] (keyId ${keyId})`
    : `keys[${String(index)}]`;
}

/** Validates a parsed seed document; `source` names it in errors. */
export function parseSeed(doc: unknown, source: string): SeedFile {
  const result = seedFileSchema.safeParse(doc ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const rawKeys = typeof doc === 'object' && doc !== null && 'keys' in doc ? doc.keys : undefined;
    const where =
      path[0] === 'keys' && typeof path[1] === 'number'
        ? [describeEntry(rawKeys, path[1]), ...path.slice(2).map(String)].join(': ')
        : path.map(String).join('.');
    // A value is never shown: it could be key material.
    throw new SeedError(
      `seed file ${source}: ${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid'}`,
    );
  }
  const seen = new Set<string>();
  const aliases = new Set<string>();
  for (const [i, key] of result.data.keys.entries()) {
    if (seen.has(key.keyId))
      throw new SeedError(
        `seed file ${source}: keys[${String(i)}]: keyId ${key.keyId} appears twice`,
      );
    seen.add(key.keyId);
    for (const alias of key.aliases) {
      if (aliases.has(alias))
        throw new SeedError(
          `seed file ${source}: keys[${String(i)}]: alias ${alias} appears twice`,
        );
      aliases.add(alias);
    }
  }
  return result.data;
}

/** Reads and validates a seed file. */
export function loadSeedFile(path: string): SeedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeedError(`cannot read seed file ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    // The parser's message quotes the offending line, which may hold key material: give the position only.
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const at = pos ? ` at line ${String(pos.line)}, column ${String(pos.col)}` : '';
    throw new SeedError(`seed file ${path} is not valid YAML${at}`);
  }
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc)))
    throw new SeedError(`seed file ${path} must hold a mapping with a keys: list`);
  return parseSeed(doc, path);
}
