// The per-operation page size: the model allows Limit 1..1000, some operations document a smaller maximum
// (REFERENCE.md §9). A larger value is refused in the model's validation wording.
import { ValidationException } from '../../errors.js';

/** Precondition: Limit must not exceed the operation's documented maximum. */
export function pageLimit(limit: number | undefined, max: number, fallback: number): number {
  if (limit === undefined) return fallback;
  if (limit > max) {
    throw new ValidationException(
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${String(max)}`,
    );
  }
  return limit;
}
