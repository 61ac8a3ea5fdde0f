// PostgreSQL `EXPLAIN (FORMAT XML)` → the JSON shape pgJson.ts reads. PostgreSQL writes the same keys as in JSON with
// characters not allowed in XML names (spaces, `/`) as `-`, lists as `<Item>`, `<Plan>`, `<Trigger>`, `<Worker>`
// children, and every value as text. fast-xml-parser reads the document (and says where it is broken); its ordered
// output is turned into objects here with an explicit stack, so a deep plan cannot overflow the call stack.
import { XMLParser } from 'fast-xml-parser';
import { PlanParseError } from './model';

type Ordered = Record<string, unknown>;

/** A list is `<Plans><Plan/>…`, `<Triggers><Trigger/>…` (the plural of its items), `<X><Item/>…`, or the queries of `<explain>`. */
function isList(parent: string, item: string): boolean {
  return item === 'Item' || parent === `${item}s` || (parent === 'explain' && item === 'Query');
}

function keyOf(tag: string): string {
  // `I/O Read Time` is written `I-O-Read-Time`; every other key only had spaces replaced.
  return tag.replace(/-/g, ' ').replace(/(^| )I O /, '$1I/O ');
}

function tagOf(el: Ordered): string | undefined {
  for (const k in el) if (k !== ':@' && k !== '#text') return k;
  return undefined;
}

/** Converts fast-xml-parser's ordered tree (`[{tag: [children…]}]`) into plain values, without recursion. */
function toValue(rootChildren: Ordered[]): unknown {
  const result: { value: unknown } = { value: undefined };
  // Each frame converts one element's children and stores the result with `assign`.
  const stack: { tag: string; children: Ordered[]; assign: (v: unknown) => void }[] = [{ tag: 'explain', children: rootChildren, assign: (v) => (result.value = v) }];
  while (stack.length) {
    const { tag: parent, children, assign } = stack.pop()!;
    const elements = children.filter((c) => tagOf(c) !== undefined);
    if (!elements.length) {
      let text = '';
      for (const c of children) {
        const t = c['#text'];
        if (typeof t === 'string' || typeof t === 'number') text += String(t);
      }
      assign(text === 'true' ? true : text === 'false' ? false : text);
      continue;
    }
    const first = tagOf(elements[0]!)!;
    if (isList(parent, first) && elements.every((e) => tagOf(e) === first)) {
      const list: unknown[] = new Array(elements.length);
      assign(list);
      elements.forEach((e, i) => stack.push({ tag: first, children: e[first] as Ordered[], assign: (v) => (list[i] = v) }));
      continue;
    }
    const obj: Record<string, unknown> = {};
    assign(obj);
    for (const e of elements) {
      const tag = tagOf(e)!;
      const key = keyOf(tag);
      stack.push({ tag, children: e[tag] as Ordered[], assign: (v) => (obj[key] = v) });
    }
  }
  return result.value;
}

// fast-xml-parser refuses more than 100 nested tags by default; a plan nests two per level (<Plan><Plans>), so a plan
// 50 nodes deep would be refused. Its ordered parse keeps open tags on an array, not the call stack, so a high limit
// is safe; the conversion below is iterative too.
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true, maxNestedTags: 1_000_000 });

// fast-xml-parser's time grows with the square of the nesting depth (about 0.5 s at 2,000 open tags, a minute at
// 20,000), so deeper documents are refused before it sees them. 2,000 tags is a plan 1,000 nodes deep; FORMAT JSON
// reads any depth.
const maxDepth = 2000;

/** The deepest nesting of elements, counted in one pass without parsing. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 47 /* / */) depth--;
    else if (next !== 63 /* ? */ && next !== 33 /* ! */) {
      const close = text.indexOf('>', i);
      if (close === -1) break;
      if (text.charCodeAt(close - 1) !== 47) depth++;
      if (depth > max) max = depth;
    }
  }
  return max;
}

/** Reads an XML explain document into the JSON shape: a list of `{Plan, Planning Time, …}` objects. */
export function pgXmlValue(text: string): unknown {
  const depth = nestingDepth(text);
  if (depth > maxDepth) {
    throw new PlanParseError(`this is PostgreSQL EXPLAIN (FORMAT XML) output nested ${depth} elements deep, too deep to read as XML (the limit is ${maxDepth}); run EXPLAIN with FORMAT JSON, which reads at any depth`);
  }
  let ordered: Ordered[];
  try {
    ordered = parser.parse(text, true) as Ordered[];
  } catch (err) {
    throw new PlanParseError(`this looks like PostgreSQL EXPLAIN (FORMAT XML) output, but the XML is broken: ${(err as Error).message}`);
  }
  const explain = ordered.find((e) => tagOf(e) === 'explain');
  if (!explain) throw new PlanParseError('this looks like XML, but not PostgreSQL EXPLAIN (FORMAT XML) output: there is no <explain> element');
  return toValue(explain['explain'] as Ordered[]);
}
