// A numbered schema migration. Never edit one that has shipped; add the next number instead.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
