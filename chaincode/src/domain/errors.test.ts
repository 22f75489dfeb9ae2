import { describe, expect, it } from 'vitest';
import { AuditError, ErrorCode, formatChaincodeError, httpStatusOf, parseChaincodeError } from './errors.js';

describe('error table', () => {
  it.each([
    ['INVALID_ARGUMENT', 400],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['PRECONDITION_FAILED', 422],
    ['INTERNAL', 500],
  ] as const)('%s maps to HTTP %i', (code, status) => {
    expect(httpStatusOf[code]).toBe(status);
    expect(new AuditError(code, 'x', 'y').httpStatus).toBe(status);
  });

  it('has exactly the documented codes', () => {
    expect(Object.keys(ErrorCode).sort()).toEqual(Object.keys(httpStatusOf).sort());
  });
});

describe('wire format', () => {
  it('renders CODE: field: message and the error message is that text', () => {
    const error = new AuditError('INVALID_ARGUMENT', 'decisions[3].inputSha256', 'must be a SHA-256');
    expect(error.message).toBe('INVALID_ARGUMENT: decisions[3].inputSha256: must be a SHA-256');
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('decisions[3].inputSha256');
  });

  it('writes - when there is no field', () => {
    expect(formatChaincodeError({ code: 'INTERNAL', field: undefined, message: 'boom' })).toBe('INTERNAL: -: boom');
  });

  it.each([
    ['plain', 'NOT_FOUND: batchId: batch b1 not found: check the id'],
    ['wrapped by the peer', 'chaincode response 500, NOT_FOUND: batchId: batch b1 not found: check the id'],
    ['wrapped by the SDK', '10 ABORTED: failed to endorse transaction, see attached details for more info\nNOT_FOUND: batchId: batch b1 not found: check the id'],
  ])('decodes %s text, keeping colons inside the message', (_name, text) => {
    expect(parseChaincodeError(text)).toEqual({ code: 'NOT_FOUND', field: 'batchId', message: 'batch b1 not found: check the id' });
  });

  it('round-trips every code, with and without a field', () => {
    for (const code of Object.values(ErrorCode)) {
      for (const field of ['decisions[0].output.score', undefined]) {
        const decoded = parseChaincodeError(formatChaincodeError({ code, field, message: 'a: b' }));
        expect(decoded).toEqual({ code, field, message: 'a: b' });
      }
    }
  });

  it('keeps a field with odd characters in one piece', () => {
    const text = formatChaincodeError({ code: 'INVALID_ARGUMENT', field: '["a: b"]', message: 'is not a known field' });
    expect(parseChaincodeError(text)).toEqual({ code: 'INVALID_ARGUMENT', field: '["a:_b"]', message: 'is not a known field' });
  });

  it('returns undefined for text without a known code, and ignores codes inside longer words', () => {
    expect(parseChaincodeError('MVCC_READ_CONFLICT')).toBeUndefined();
    expect(parseChaincodeError('XNOT_FOUND: a: b')).toBeUndefined();
    expect(parseChaincodeError('connection refused')).toBeUndefined();
  });
});
