// RFC 9457 problems from the API, and which form field each failing field belongs to.

/** One failing field as the API names it (`reason`, `thresholds.psi`, `decisions[3].inputSha256`). */
export interface FieldError {
  field: string;
  message: string;
  in?: string;
}

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  type?: string;
  errors: FieldError[];
  requestId?: string;
  txId?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function fieldErrorsOf(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const errors: FieldError[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const field = text(Reflect.get(item, 'field'));
    const message = text(Reflect.get(item, 'message'));
    const location = text(Reflect.get(item, 'in'));
    if (field !== undefined && message !== undefined) errors.push({ field, message, ...(location === undefined ? {} : { in: location }) });
  }
  return errors;
}

/** The problem an answer carries; a body that is not a problem document still gives a readable one. */
export function problemFrom(status: number, statusText: string, body: unknown): Problem {
  const doc = typeof body === 'object' && body !== null ? body : {};
  const title = text(Reflect.get(doc, 'title')) ?? (statusText || `HTTP ${status}`);
  const detail = text(Reflect.get(doc, 'detail')) ?? (typeof body === 'string' ? text(body.trim().slice(0, 300)) : undefined);
  const problem: Problem = { status, title, errors: fieldErrorsOf(Reflect.get(doc, 'errors')) };
  const type = text(Reflect.get(doc, 'type'));
  const requestId = text(Reflect.get(doc, 'requestId'));
  const txId = text(Reflect.get(doc, 'txId'));
  if (detail !== undefined) problem.detail = detail;
  if (type !== undefined) problem.type = type;
  if (requestId !== undefined) problem.requestId = requestId;
  if (txId !== undefined) problem.txId = txId;
  return problem;
}

/** The problem in one line: `Forbidden: role regulator may not do this…`. */
export function problemSummary(problem: Problem): string {
  return problem.detail === undefined ? problem.title : `${problem.title}: ${problem.detail}`;
}

/** True when the API's field name is `name` or lies inside it (`thresholds.psi` in `thresholds`, `items[0]` in `items`). */
export function fieldBelongsTo(apiField: string, name: string): boolean {
  return apiField === name || apiField.startsWith(`${name}.`) || apiField.startsWith(`${name}[`);
}

export interface PlacedErrors {
  /** Message per form field name (several errors of one field joined). */
  byField: Map<string, string>;
  /** What no field of the form shows: placed next to the form instead. */
  rest: string[];
}

/** Places a problem's field errors on the form's fields; a problem without field errors goes to `rest` whole. */
export function placeErrors(problem: Problem, fieldNames: readonly string[]): PlacedErrors {
  const byField = new Map<string, string>();
  const rest: string[] = [];
  for (const error of problem.errors) {
    const name = fieldNames.find((candidate) => fieldBelongsTo(error.field, candidate));
    if (name === undefined) {
      rest.push(`${error.field}: ${error.message}`);
      continue;
    }
    const inner = error.field === name ? '' : `${error.field.slice(name.length).replace(/^\./, '')}: `;
    const message = `${inner}${error.message}`;
    const earlier = byField.get(name);
    byField.set(name, earlier === undefined ? message : `${earlier}; ${message}`);
  }
  if (problem.errors.length === 0 || rest.length > 0) rest.unshift(problemSummary(problem));
  return { byField, rest };
}
