import { describe, expect, it } from 'vitest';
import { formatBytes, formatTime, identityLabel, isoToLocalInput, localInputToIso, newId, shortId } from './format';

describe('datetime-local conversion', () => {
  it('round-trips an instant to the minute through the local form', () => {
    const iso = '2025-03-01T09:30:00.000Z';
    const local = isoToLocalInput(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(localInputToIso(local)).toBe(iso);
  });

  it('leaves empty values out and passes text that is not a time on for the API to refuse', () => {
    expect(localInputToIso('  ')).toBeUndefined();
    expect(localInputToIso('yesterday')).toBe('yesterday');
    expect(isoToLocalInput(undefined)).toBe('');
    expect(isoToLocalInput('nonsense')).toBe('');
  });
});

describe('display formats', () => {
  it('shows times in UTC to the second', () => {
    expect(formatTime('2025-03-01T09:30:05.123Z')).toBe('2025-03-01 09:30:05 UTC');
    expect(formatTime(undefined)).toBe('—');
  });

  it('shortens long ids only', () => {
    expect(shortId('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortId('abc')).toBe('abc');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
  });

  it('makes ids the ledger accepts ([A-Za-z0-9._:-], at most 128)', () => {
    const id = newId('review', 1_700_000_000_000, 0.5);
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(newId('review', 1, 0.1)).not.toBe(newId('review', 1, 0.2));
  });
});

describe('identityLabel', () => {
  it("shows an X.509 identity by its subject's common name", () => {
    const id = 'x509::/C=US/ST=California/L=San Francisco/OU=client/CN=User1@operator.aiaudit.local::/C=US/ST=California/CN=ca.operator.aiaudit.local';
    expect(identityLabel(id)).toBe('User1@operator.aiaudit.local');
  });

  it('leaves other ids alone', () => {
    expect(identityLabel('apikey:OperatorOrgMSP.officer')).toBe('apikey:OperatorOrgMSP.officer');
    expect(identityLabel('x509::/C=US/O=no-common-name::/CN=ca')).toBe('x509::/C=US/O=no-common-name::/CN=ca');
  });
});
