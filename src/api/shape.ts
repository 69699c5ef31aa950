// The form of the generated model table (model.generated.ts): input shapes as AWS defines them.

export interface Shape {
  readonly type:
    'structure' | 'string' | 'blob' | 'integer' | 'long' | 'boolean' | 'list' | 'map' | 'timestamp';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
  readonly members?: Readonly<Record<string, string>>;
  readonly required?: readonly string[];
  readonly member?: string;
  readonly key?: string;
  readonly value?: string;
}

export type ShapeTable = Readonly<Record<string, Shape>>;
