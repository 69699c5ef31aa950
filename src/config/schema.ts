// The server's configuration: one validated, frozen object built from flags, environment and file.
import { z } from 'zod';

export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce
      .number({ error: 'must be a port number 0-65535' })
      .int('must be a port number 0-65535')
      .min(0, 'must be a port number 0-65535')
      .max(65535, 'must be a port number 0-65535')
      .default(8080),
    dataDir: z.string().min(1).default('./trent-data'),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like us-east-1')
      .default('us-east-1'),
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'must be 12 digits')
      .default('111122223333'),
    partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
    dev: z.boolean().default(false),
    /** sigv4: every request must carry a valid AWS Signature V4; none: every caller is the account
     *  root (unsafe). Default: none in dev mode, sigv4 otherwise. */
    auth: z.enum(['sigv4', 'none']).optional(),
    seed: z.string().min(1).optional(),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    bodyLimitBytes: z.coerce
      .number({ error: 'must be a whole number of bytes' })
      .int('must be a whole number of bytes')
      .min(1024, 'must be at least 1024')
      .max(64 * 1024 * 1024, 'must be at most 67108864')
      .default(1024 * 1024),
    grantsPerKey: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000')
      .default(50_000),
    keysPerAccount: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(10_000_000, 'must be at most 10000000')
      .default(100_000),
    onDemandRotationLimit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000')
      .default(25),
    schedulerIntervalMs: z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(10, 'must be at least 10')
      .default(60_000),
    auditDurability: z.enum(['async', 'sync']).default('async'),
    auditFlushIntervalMs: z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1, 'must be at least 1')
      .max(60_000, 'must be at most 60000')
      .default(1000),
    auditQueueLimit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(10_000_000, 'must be at most 10000000')
      .default(100_000),
    /** Worker processes serving requests (default: one per core; 1 serves from this process alone). */
    workers: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(256, 'must be at most 256')
      .optional(),
    auditRetentionDays: z.coerce
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(36_500, 'must be at most 36500')
      .optional(),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;
