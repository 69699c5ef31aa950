// Reads the headers of a request from Node's rawHeaders ([name, value, name, value, …]) with the
// grouping of groupHeaders, without building a map per request: a client sends the same names in the
// same order every time, so the layout of names (lower-cased, with where each name's values are) is
// kept for the last few orders seen and only compared, name by name, with the next request's.
import type { HeaderValues } from './canonical-request.js';

interface Layout {
  /** The lower-case names in arrival order. */
  readonly names: readonly string[];
  /** Lower-case name → the indexes of its values in rawHeaders, in arrival order. */
  readonly valueIndexes: ReadonlyMap<string, readonly number[]>;
}

const RECENT_LAYOUTS = 8;
const recentLayouts: Layout[] = [];
let nextLayoutSlot = 0;

function lowerCaseNames(rawHeaders: readonly string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    names.push((rawHeaders[i] as string).toLowerCase());
  return names;
}

function layoutOf(rawHeaders: readonly string[]): Layout {
  const names = lowerCaseNames(rawHeaders);
  search: for (const layout of recentLayouts) {
    if (layout.names.length !== names.length) continue;
    for (let i = 0; i < names.length; i++) if (names[i] !== layout.names[i]) continue search;
    return layout;
  }
  const valueIndexes = new Map<string, number[]>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const indexes = valueIndexes.get(name);
    if (indexes) indexes.push(2 * i + 1);
    else valueIndexes.set(name, [2 * i + 1]);
  }
  const layout = { names, valueIndexes };
  recentLayouts[nextLayoutSlot] = layout;
  nextLayoutSlot = (nextLayoutSlot + 1) % RECENT_LAYOUTS;
  return layout;
}

class RawHeaderValues implements HeaderValues {
  constructor(
    private readonly layout: Layout,
    private readonly rawHeaders: readonly string[],
  ) {}

  get(name: string): readonly string[] | undefined {
    const indexes = this.layout.valueIndexes.get(name);
    if (indexes === undefined) return undefined;
    if (indexes.length === 1) return [this.rawHeaders[indexes[0] as number] as string];
    return indexes.map((i) => this.rawHeaders[i] as string);
  }
}

/** The values of each header (by lower-case name, in arrival order), as groupHeaders gives them. */
export function readRawHeaders(rawHeaders: readonly string[]): HeaderValues {
  return new RawHeaderValues(layoutOf(rawHeaders), rawHeaders);
}
