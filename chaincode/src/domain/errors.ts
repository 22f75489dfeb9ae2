// The error table: every refusal crosses the wire as `CODE: field: message`, decoded by parseChaincodeError.

/**
 * Stable error codes. The wire format is `CODE: field: message`; `field` is a path into the
 * failing argument (e.g. `decisions[3].inputSha256`) or `-` when the error names no field.
 * Fabric may wrap the text (e.g. "chaincode response 500, ..."): the parser finds the code
 * wherever it starts.
 */
export const ErrorCode = {
  /** The argument is malformed: bad JSON, a schema violation, a duplicate inside a batch. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The caller's MSP or role does not allow the operation. */
  FORBIDDEN: 'FORBIDDEN',
  /** A referenced record (model version, dataset, batch, alert, grant) does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The id is taken by different content, or the batch id was already committed. */
  CONFLICT: 'CONFLICT',
  /** The request is well-formed but a rule of the current state refuses it (model suspended, illegal transition). */
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  /** A fault in the chaincode or a corrupt stored value; never the caller's fault. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The HTTP status each code maps to in the gateway's problem+json responses. */
export const httpStatusOf: Readonly<Record<ErrorCode, number>> = Object.freeze({
  INVALID_ARGUMENT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 422,
  INTERNAL: 500,
});

const NO_FIELD = '-';
const CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** A refusal with a stable code, the field (path) it concerns and a human-readable message. */
export class AuditError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly detail: string;

  constructor(code: ErrorCode, field: string | undefined, detail: string) {
    super(formatChaincodeError({ code, field, message: detail }));
    this.name = 'AuditError';
    this.code = code;
    this.field = field === '' ? undefined : field;
    this.detail = detail;
  }

  get httpStatus(): number {
    return httpStatusOf[this.code];
  }
}

export interface DecodedChaincodeError {
  code: ErrorCode;
  field: string | undefined;
  message: string;
}

/**
 * Renders the wire form `CODE: field: message` (`-` stands for "no field"). Whitespace in a
 * field (only possible from a caller's odd key names) becomes `_`, so the first `: ` after
 * the code always ends the field.
 */
export function formatChaincodeError(error: DecodedChaincodeError): string {
  const field =
    error.field === undefined || error.field === '' ? NO_FIELD : error.field.replace(/\s/g, '_');
  return `${error.code}: ${field}: ${error.message}`;
}

/**
 * Decodes a chaincode error text (possibly wrapped by the peer or the client SDK) back into
 * its code, field and message. Returns undefined when the text carries no known code.
 */
export function parseChaincodeError(text: string): DecodedChaincodeError | undefined {
  let best: { at: number; code: ErrorCode } | undefined;
  for (const code of CODES) {
    const at = findCodeToken(text, code);
    if (at >= 0 && (best === undefined || at < best.at)) best = { at, code };
  }
  if (best === undefined) return undefined;
  const rest = text.slice(best.at + best.code.length + 2);
  const separator = rest.indexOf(': ');
  if (separator < 0) return { code: best.code, field: undefined, message: rest };
  const field = rest.slice(0, separator);
  const message = rest.slice(separator + 2);
  return { code: best.code, field: field === NO_FIELD ? undefined : field, message };
}

/** Index of `CODE: ` at a word boundary, or -1. */
function findCodeToken(text: string, code: string): number {
  const token = `${code}: `;
  let from = 0;
  for (;;) {
    const at = text.indexOf(token, from);
    if (at < 0) return -1;
    const before = at === 0 ? '' : text.charAt(at - 1);
    if (!/[A-Z0-9_]/.test(before)) return at;
    from = at + 1;
  }
}

export const invalidArgument = (field: string | undefined, message: string): AuditError =>
  new AuditError(ErrorCode.INVALID_ARGUMENT, field, message);
export const notFound = (field: string | undefined, message: string): AuditError =>
  new AuditError(ErrorCode.NOT_FOUND, field, message);
export const conflict = (field: string | undefined, message: string): AuditError =>
  new AuditError(ErrorCode.CONFLICT, field, message);
export const forbidden = (field: string | undefined, message: string): AuditError =>
  new AuditError(ErrorCode.FORBIDDEN, field, message);
export const preconditionFailed = (field: string | undefined, message: string): AuditError =>
  new AuditError(ErrorCode.PRECONDITION_FAILED, field, message);
export const internalError = (message: string): AuditError =>
  new AuditError(ErrorCode.INTERNAL, undefined, message);
