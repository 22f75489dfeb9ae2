// Labelled form fields with an error slot each, and a form's problem display: API field errors beside their fields, the rest above the buttons.
import { h, uid } from './dom';
import { placeErrors, type Problem } from './problem';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field {
  name: string;
  control: Control;
  error: HTMLElement;
  element: HTMLElement;
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  value?: string;
  hint?: string;
  placeholder?: string;
  options?: readonly (readonly [string, string])[];
  multiline?: boolean;
  autocomplete?: string;
  required?: boolean;
}

export function field(options: FieldOptions): Field {
  const id = uid(`f-${options.name}`);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [options.hint === undefined ? undefined : hintId, errorId].filter((x) => x !== undefined).join(' ');
  const common = { id, name: options.name, 'aria-describedby': describedBy, required: options.required ?? false };
  let control: Control;
  if (options.options !== undefined) {
    control = h('select', common, options.options.map(([value, label]) => h('option', { value }, label)));
    control.value = options.value ?? options.options[0]?.[0] ?? '';
  } else if (options.multiline === true) {
    control = h('textarea', { ...common, rows: 3, placeholder: options.placeholder });
    control.value = options.value ?? '';
  } else {
    control = h('input', { ...common, type: options.type ?? 'text', placeholder: options.placeholder, autocomplete: options.autocomplete ?? 'off', spellcheck: 'false' });
    control.value = options.value ?? '';
  }
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const element = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, options.label),
    options.hint === undefined ? null : h('p', { id: hintId, class: 'hint' }, options.hint),
    control,
    error,
  );
  return { name: options.name, control, error, element };
}

/** Shows a problem on a form: each field error beside its field, anything else in the form's own alert. */
export class FormErrors {
  readonly element: HTMLElement;

  constructor(private readonly fields: readonly Field[]) {
    this.element = h('div', { class: 'form-error', role: 'alert', hidden: true });
  }

  clear(): void {
    for (const f of this.fields) {
      f.error.hidden = true;
      f.error.textContent = '';
      f.control.removeAttribute('aria-invalid');
    }
    this.element.hidden = true;
    this.element.replaceChildren();
  }

  show(problem: Problem): void {
    this.clear();
    const placed = placeErrors(problem, this.fields.map((f) => f.name));
    let first: Control | undefined;
    for (const f of this.fields) {
      const message = placed.byField.get(f.name);
      if (message === undefined) continue;
      f.error.textContent = message;
      f.error.hidden = false;
      f.control.setAttribute('aria-invalid', 'true');
      first ??= f.control;
    }
    if (placed.rest.length > 0) {
      this.element.append(...placed.rest.map((line) => h('p', {}, line)));
      if (problem.requestId !== undefined) this.element.append(h('p', { class: 'hint' }, `Request id ${problem.requestId}${problem.txId === undefined ? '' : `, transaction ${problem.txId}`}`));
      this.element.hidden = false;
    }
    first?.focus();
  }
}

/** The trimmed value of each named field. */
export function valuesOf(fields: readonly Field[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.name, f.control.value.trim()]));
}

/** A button that shows it is working and cannot be pressed twice while `work` runs. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = `${label ?? ''}…`;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}
