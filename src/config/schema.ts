// The server's configuration: one validated, frozen object built from flags, environment and file.
import { z } from 'zod';

export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
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
    seed: z.string().min(1).optional(),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    bodyLimitBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    onDemandRotationLimit: z.coerce.number().int().min(1).max(1000).default(25),
    schedulerIntervalMs: z.coerce.number().int().min(10).default(60_000),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;
