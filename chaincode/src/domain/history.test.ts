import { describe, expect, it } from 'vitest';
import { splitHistoryId } from './history.js';

describe('splitHistoryId', () => {
  it.each([
    ['model', 'credit-scorer@1.0.0', ['credit-scorer', '1.0.0']],
    ['batch', 'batch-1', ['batch-1']],
    ['oversight', 'b@d@o', ['b', 'd', 'o']],
    ['grant', 'OperatorOrgMSP@x509::/OU=client/CN=User1@operator::/CN=ca', ['OperatorOrgMSP', 'x509::/OU=client/CN=User1@operator::/CN=ca']],
  ] as const)('%s %s', (kind, id, parts) => {
    expect(splitHistoryId(kind, id)).toEqual(parts);
  });

  it.each([
    ['model', 'credit-scorer'],
    ['model', 'a@b@c'],
    ['batch', 'has space'],
    ['oversight', 'b@@o'],
  ] as const)('refuses %s id %s', (kind, id) => {
    expect(() => splitHistoryId(kind, id)).toThrow(/^INVALID_ARGUMENT: id: /);
  });
});
