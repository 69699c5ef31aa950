// Key and alias identifiers: ARNs, alias names and bare key ids (REFERENCE.md §2.1).

export interface Scope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export function keyArn(scope: Scope, keyId: string): string {
  return `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
}

export function aliasArn(scope: Scope, aliasName: string): string {
  return `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:${aliasName}`;
}

export type KeyReference =
  | { readonly kind: 'keyId'; readonly keyId: string }
  | { readonly kind: 'keyArn'; readonly scope: Scope; readonly keyId: string }
  | { readonly kind: 'aliasName'; readonly aliasName: string }
  | { readonly kind: 'aliasArn'; readonly scope: Scope; readonly aliasName: string };

const ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;

/** Classifies a KeyId member; returns undefined for an ARN that is not a KMS key or alias ARN. */
export function parseKeyReference(ref: string): KeyReference | undefined {
  if (ref.startsWith('arn:')) {
    const m = ARN.exec(ref);
    if (!m) return undefined;
    const [, partition = '', region = '', accountId = '', resource = ''] = m;
    const scope = { partition, region, accountId };
    return resource.startsWith('key/')
      ? { kind: 'keyArn', scope, keyId: resource.slice(4) }
      : { kind: 'aliasArn', scope, aliasName: resource };
  }
  if (ref.startsWith('alias/')) return { kind: 'aliasName', aliasName: ref };
  return { kind: 'keyId', keyId: ref };
}
