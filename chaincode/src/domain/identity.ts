// Who wrote a record: MSP ids and Fabric identity ids as stored in records, plus the x509 OU=admin rule.
import { z } from 'zod';

/** A Fabric MSP id, e.g. OperatorOrgMSP. */
export const MspId = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9._-]{1,128}$/, { error: 'must be an MSP id (1-128 characters of A-Z a-z 0-9 . _ -)' })
  .describe('Fabric MSP id, e.g. OperatorOrgMSP');

/** A Fabric client identity id as ClientIdentity.getID() renders it: `x509::<subject>::<issuer>`. */
export const IdentityId = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(1024, { error: 'must be at most 1024 characters' })
  .refine((id) => !id.includes('\u0000'), { error: 'must not contain NUL characters' })
  .describe('Fabric identity id as rendered by ClientIdentity.getID(): x509::<subject DN>::<issuer DN>');

/**
 * True when the x509 subject of a Fabric identity id carries OU=admin — the role cryptogen
 * and Fabric CA give an org's admin identities when NodeOUs are enabled. Only the subject
 * (between the first and second `::`) counts, never the issuer.
 */
export function hasAdminOu(identityId: string): boolean {
  if (!identityId.startsWith('x509::')) return false;
  const end = identityId.indexOf('::', 6);
  const subject = end < 0 ? identityId.slice(6) : identityId.slice(6, end);
  // getID() renders the DN as `/C=US/ST=.../OU=admin/CN=...`; an escaped `\/` is inside a value.
  return subject.split(/(?<!\\)\//).some((attribute) => attribute === 'OU=admin');
}
