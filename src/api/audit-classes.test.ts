import { describe, expect, it } from 'vitest';
import { isClassified } from '../audit/operation-classes.js';
import { operationInputs } from './model.generated.js';
import { operations } from './operations/index.js';

describe('audit classification of the API', () => {
  it('names every operation of the AWS model and every implemented one', () => {
    const names = [...Object.keys(operationInputs), ...operations.keys()];
    expect(names.filter((op) => !isClassified(op))).toEqual([]);
  });
});
