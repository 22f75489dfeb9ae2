// zod → JSON Schema 2020-12 for OpenAPI 3.1: schemas with a zod `id` become named components, refs point at them.
import { z } from 'zod';

export type Json = Record<string, unknown>;

/** Converts zod schemas to OpenAPI 3.1 (JSON Schema 2020-12) and keeps every schema that has a zod `id` in components. */
export class SchemaComponents {
  readonly schemas: Record<string, Json> = {};

  /** The JSON Schema of `schema`, with its named parts moved to #/components/schemas. */
  toSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
    const { $schema: _dialect, $defs, ...root } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', cycles: 'ref', reused: 'inline' });
    const defs: Record<string, unknown> = $defs ?? {};
    const names = this.#placeDefs(defs, io);
    return rewriteRefs(root, names);
  }

  /** Names each def after its zod id; when that name already holds a different schema (input vs output shape), adds the io as suffix. */
  #placeDefs(defs: Record<string, unknown>, io: 'input' | 'output'): Map<string, string> {
    const names = new Map(Object.keys(defs).map((name) => [name, name]));
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name, def] of Object.entries(defs)) {
        const target = names.get(name) ?? name;
        const existing = this.schemas[target];
        if (existing === undefined || JSON.stringify(existing) === JSON.stringify(rewriteRefs(def, names))) continue;
        const alternative = `${name}${io === 'input' ? 'Input' : 'Output'}`;
        if (target === alternative) throw new Error(`two different schemas are named ${name}`);
        names.set(name, alternative);
        changed = true;
      }
    }
    for (const [name, def] of Object.entries(defs)) this.schemas[names.get(name) ?? name] = rewriteRefs(def, names);
    return names;
  }

  /** Follows a $ref into components (one level), to read an object schema's properties. */
  resolve(schema: Json): Json {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    return this.schemas[ref.slice(COMPONENT_PREFIX.length)] ?? schema;
  }
}

const COMPONENT_PREFIX = '#/components/schemas/';

function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const out: Json = {};
    for (const [key, inner] of Object.entries(node)) {
      if (key === '$ref' && typeof inner === 'string') {
        if (!inner.startsWith('#/$defs/')) throw new Error(`cannot document the schema reference ${inner}; give recursive schemas a zod id`);
        const name = inner.slice('#/$defs/'.length);
        out[key] = COMPONENT_PREFIX + (names.get(name) ?? name);
      } else out[key] = walk(inner);
    }
    return out;
  };
  const result = walk(value);
  return typeof result === 'object' && result !== null && !Array.isArray(result) ? Object.fromEntries(Object.entries(result)) : {};
}
