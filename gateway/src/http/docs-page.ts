// A browsable, self-contained HTML rendering of the OpenAPI document (no scripts, no CDN).
import { z } from 'zod';

const Parameter = z.object({ name: z.string(), in: z.string(), required: z.boolean().optional(), description: z.string().optional(), schema: z.unknown() });
const Media = z.record(z.string(), z.object({ schema: z.unknown() }));
const Operation = z.object({
  operationId: z.string(),
  summary: z.string(),
  description: z.string().optional(),
  'x-required-roles': z.array(z.string()).optional(),
  parameters: z.array(Parameter).optional(),
  requestBody: z.object({ required: z.boolean().optional(), content: Media }).optional(),
  responses: z.record(z.string(), z.object({ description: z.string().optional(), $ref: z.string().optional(), content: Media.optional() })),
});
const Document = z.object({
  info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
  servers: z.array(z.object({ url: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), Operation)),
  components: z.object({ schemas: z.record(z.string(), z.unknown()).optional() }).optional(),
});

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Pretty JSON with component references turned into in-page links. */
function schemaHtml(schema: unknown): string {
  return escape(JSON.stringify(schema, null, 2)).replace(
    /&quot;#\/components\/schemas\/([A-Za-z0-9._-]+)&quot;/g,
    (_match, name: string) => `&quot;<a href="#schema-${name}">#/components/schemas/${name}</a>&quot;`,
  );
}

function mediaHtml(content: z.infer<typeof Media> | undefined): string {
  if (content === undefined) return '';
  return Object.entries(content)
    .map(([type, media]) => `<div class="media">${escape(type)}</div><pre>${schemaHtml(media.schema)}</pre>`)
    .join('');
}

function operationHtml(path: string, method: string, op: z.infer<typeof Operation>): string {
  const parameters = (op.parameters ?? [])
    .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required === true ? 'yes' : 'no'}</td><td>${escape(p.description ?? '')}</td><td><code>${escape(JSON.stringify(p.schema))}</code></td></tr>`)
    .join('');
  const responses = Object.entries(op.responses)
    .map(([status, r]) => `<li><b>${escape(status)}</b> ${escape(r.description ?? (r.$ref === undefined ? '' : 'problem+json (see Problem)'))}${mediaHtml(r.content)}</li>`)
    .join('');
  return `<section class="op" id="${escape(op.operationId)}">
<h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code> — ${escape(op.summary)}</h3>
${op.description === undefined ? '' : `<p>${escape(op.description).replace(/\n\n/g, '</p><p>')}</p>`}
${parameters === '' ? '' : `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>description</th><th>schema</th></tr>${parameters}</table>`}
${op.requestBody === undefined ? '' : `<h4>Request body${op.requestBody.required === true ? '' : ' (optional)'}</h4>${mediaHtml(op.requestBody.content)}`}
<h4>Responses</h4><ul>${responses}</ul>
</section>`;
}

/** The HTML page for an OpenAPI document built by openApiDocument. */
export function renderDocsPage(document: unknown, specUrl: string): string {
  const doc = Document.parse(document);
  const base = doc.servers?.[0]?.url ?? '';
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path: base + path, method, op })));
  const toc = operations.map(({ path, method, op }) => `<li><a href="#${escape(op.operationId)}">${escape(method.toUpperCase())} ${escape(path)}</a> — ${escape(op.summary)}</li>`).join('');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3><pre>${schemaHtml(schema)}</pre></section>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)} ${escape(doc.info.version)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:0 auto;padding:1rem 2rem;color:#1b1f24;line-height:1.45}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
pre{background:#f5f7f9;border:1px solid #dde3e8;padding:.6rem;overflow:auto;max-height:28rem}
.op{border-top:1px solid #dde3e8;padding-top:.5rem}.media{color:#57606a;font-size:.8rem}
.method{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;padding:0 .4rem;font-size:.85rem}
.get{background:#1f6feb}.post{background:#1a7f37}.put,.patch{background:#9a6700}.delete{background:#cf222e}
table{border-collapse:collapse}td,th{border:1px solid #dde3e8;padding:.2rem .5rem;text-align:left;vertical-align:top}
</style></head><body>
<h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>
${doc.info.description === undefined ? '' : `<p>${escape(doc.info.description)}</p>`}
<p>Send <code>Authorization: Bearer &lt;API key or token&gt;</code>. Errors are <code>application/problem+json</code> (see <a href="#schema-Problem">Problem</a>). Machine-readable: <a href="${escape(specUrl)}">${escape(specUrl)}</a>.</p>
<h2>Operations</h2><ul>${toc === '' ? '<li>none registered</li>' : toc}</ul>
${operations.map(({ path, method, op }) => operationHtml(path, method, op)).join('\n')}
<h2>Schemas</h2>${schemas}
</body></html>`;
}
