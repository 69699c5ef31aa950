// `trent account|user|role|access-key|session|policy|tag …`: manage principals and credentials in a
// stopped server's data directory. Secrets are printed once, on stdout, by the command creating them.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CredentialAdmin } from '../authz/credentials/credential-admin.js';
import { CredentialAdminError } from '../authz/credentials/credential-admin.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { AdminRefusal, withCredentialAdmin } from './admin-context.js';

export const ADMIN_HELP = `Principals and credentials (run with the server stopped; each takes --data-dir DIR,
--config FILE and --account-id ID, default the configured account):
  account create ID | account list
  user create NAME [--tag K=V]… | user delete NAME | user list
  role create NAME [--tag K=V]… | role delete NAME | role list
  access-key create (--user NAME | --root)      prints the secret once
  access-key list | access-key deactivate ID | access-key activate ID | access-key delete ID
  session create (--user NAME | --role NAME | --root) [--session-name S] [--duration-seconds N]
  policy attach (--user NAME | --role NAME) --name POLICY (--document JSON | --file PATH)
  policy detach (--user NAME | --role NAME) --name POLICY | policy list (--user NAME | --role NAME)
  tag (--user NAME | --role NAME) K=V… | untag (--user NAME | --role NAME) K…
`;

export const ADMIN_RESOURCES = new Set([
  'account',
  'user',
  'role',
  'access-key',
  'session',
  'policy',
  'tag',
  'untag',
]);

const OPTIONS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  'account-id': { type: 'string' },
  user: { type: 'string' },
  role: { type: 'string' },
  root: { type: 'boolean' },
  name: { type: 'string' },
  document: { type: 'string' },
  file: { type: 'string' },
  'session-name': { type: 'string' },
  'duration-seconds': { type: 'string' },
  tag: { type: 'string', multiple: true },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

function usage(message: string): never {
  throw new CredentialAdminError(message);
}

function owner(admin: CredentialAdmin, accountId: string, values: Values): string {
  if (values.root === true) return admin.principal(accountId, 'root');
  if (values.user !== undefined) return admin.principal(accountId, 'user', values.user);
  if (values.role !== undefined) return admin.principal(accountId, 'role', values.role);
  return usage('name the principal: --user NAME, --role NAME or --root');
}

function splitTag(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) usage(`tags are KEY=VALUE, got '${text}'`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

async function run(
  admin: CredentialAdmin,
  accountId: string,
  args: string[],
  values: Values,
): Promise<unknown> {
  const [resource, verb, ...rest] = args;
  const arg = rest[0] ?? '';
  switch (`${resource ?? ''} ${verb ?? ''}`) {
    case 'account create':
      await admin.createAccount(arg);
      return { AccountId: arg };
    case 'account list':
      return { Accounts: [...admin.registry.accounts].sort() };
    case 'user create':
    case 'role create': {
      const row = await admin.createPrincipal(
        accountId,
        resource === 'user' ? 'user' : 'role',
        arg,
      );
      for (const t of values.tag ?? []) await admin.tagPrincipal(row.arn, ...splitTag(t));
      return { Arn: row.arn, PrincipalId: row.principalId };
    }
    case 'user delete':
    case 'role delete':
      await admin.deletePrincipal(
        admin.principal(accountId, resource === 'user' ? 'user' : 'role', arg),
      );
      return { Deleted: arg };
    case 'user list':
    case 'role list':
      return {
        Principals: [...admin.registry.principals.values()]
          .filter((p) => p.accountId === accountId && p.kind === resource)
          .map((p) => ({
            Arn: p.arn,
            PrincipalId: p.principalId,
            Tags: admin.registry.principalTags(p.arn),
          })),
      };
    case 'access-key create': {
      const key = await admin.createAccessKey(owner(admin, accountId, values));
      return {
        AccessKeyId: key.accessKeyId,
        SecretAccessKey: key.secretAccessKey,
        Arn: key.principalArn,
      };
    }
    case 'access-key list':
      return {
        AccessKeys: [...admin.registry.accessKeys.values()]
          .filter((k) => k.caller.accountId === accountId)
          .map((k) => ({
            AccessKeyId: k.row.accessKeyId,
            Arn: k.row.principalArn,
            Status: 'status' in k.row ? k.row.status : 'Active',
          })),
        Sessions: [...admin.registry.sessions.values()]
          .filter((s) => s.caller.accountId === accountId)
          .map((s) => ({
            AccessKeyId: s.row.accessKeyId,
            Arn: s.caller.arn,
            Expiration: new Date('expiresAt' in s.row ? s.row.expiresAt : 0).toISOString(),
          })),
      };
    case 'access-key activate':
    case 'access-key deactivate':
      await admin.setAccessKeyStatus(arg, verb === 'activate' ? 'Active' : 'Inactive');
      return { AccessKeyId: arg, Status: verb === 'activate' ? 'Active' : 'Inactive' };
    case 'access-key delete':
      await admin.revokeCredential(arg);
      return { Deleted: arg };
    case 'session create': {
      const duration = values['duration-seconds'];
      const session = await admin.createSession(owner(admin, accountId, values), {
        ...(values['session-name'] === undefined ? {} : { sessionName: values['session-name'] }),
        ...(duration === undefined ? {} : { durationSeconds: Number(duration) }),
      });
      return {
        Credentials: {
          AccessKeyId: session.accessKeyId,
          SecretAccessKey: session.secretAccessKey,
          SessionToken: session.sessionToken,
          Expiration: session.expiration.toISOString(),
        },
        Arn: admin.registry.sessions.get(session.accessKeyId)?.caller.arn ?? session.principalArn,
      };
    }
    case 'policy attach': {
      const name = values.name ?? usage('--name POLICY is required');
      const document =
        values.document ??
        (values.file === undefined
          ? usage('--document JSON or --file PATH is required')
          : readFileSync(values.file, 'utf8'));
      await admin.attachPolicy(owner(admin, accountId, values), name, document);
      return { Attached: name };
    }
    case 'policy detach': {
      const name = values.name ?? usage('--name POLICY is required');
      await admin.detachPolicy(owner(admin, accountId, values), name);
      return { Detached: name };
    }
    case 'policy list': {
      const arn = owner(admin, accountId, values);
      return { Policies: Object.fromEntries(admin.registry.policies.get(arn) ?? []) };
    }
    default:
      break;
  }
  if (resource === 'tag' || resource === 'untag') {
    const arn = owner(admin, accountId, values);
    for (const item of [verb, ...rest].filter((x): x is string => x !== undefined)) {
      if (resource === 'tag') await admin.tagPrincipal(arn, ...splitTag(item));
      else await admin.untagPrincipal(arn, item);
    }
    return { Arn: arn, Tags: admin.registry.principalTags(arn) };
  }
  return usage(`unknown command '${args.join(' ')}'\n\n${ADMIN_HELP}`);
}

/** Runs one admin command; prints its JSON result on stdout. Returns the exit code. */
export async function runAdminCommand(argv: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const config = loadConfig({
      flags: {
        ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
        ...(values['account-id'] === undefined ? {} : { accountId: values['account-id'] }),
      },
      ...(values.config === undefined ? {} : { configFile: values.config }),
    });
    const result = await withCredentialAdmin(config, (admin) =>
      run(admin, config.accountId, positionals, values),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (
      err instanceof CredentialAdminError ||
      err instanceof AdminRefusal ||
      err instanceof ConfigError ||
      (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`trent: ${(err as Error).message}\n`);
      return err instanceof AdminRefusal ? 1 : 2;
    }
    throw err;
  }
}
