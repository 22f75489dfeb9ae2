// Authentication (API keys, OIDC JWTs) into a Principal, and requireRole: 401 without valid credentials, 403 without the role.
import type { Request, RequestHandler } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { OidcConfig } from '../config.js';
import { API_KEY_PREFIX, type ApiKeyStore } from './credential-store.js';
import { fabricUserFor, Role, type IdentityMap, type Principal } from './principal.js';
import { ProblemError } from './problem.js';
import { principalOf, setPrincipal } from './request-context.js';

const REALM = 'aiaudit';

/** 401 with the RFC 6750 challenge; `invalid` adds error="invalid_token". */
function unauthorized(detail: string, invalid: boolean): ProblemError {
  const challenge = invalid ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`;
  return new ProblemError({ status: 401, slug: 'unauthorized', detail, headers: { 'WWW-Authenticate': challenge } });
}

const forbidden = (detail: string): ProblemError => new ProblemError({ status: 403, slug: 'forbidden', detail });

/** Verifies one bearer token into a principal; throws a 401/403 ProblemError otherwise. */
export type TokenVerifier = (token: string) => Promise<Principal>;

export interface JwtVerifierOptions {
  /** The key source; defaults to the remote JWKS at oidc.jwksUrl (fetched and cached by jose). */
  keys?: JWTVerifyGetKey;
  /** Seconds of clock skew tolerated on exp/nbf/iat. */
  clockToleranceSeconds?: number;
}

/** OIDC: verifies signature (JWKS), issuer, audience and expiry, then maps the role and org claims. */
export function createJwtVerifier(oidc: OidcConfig, identities: IdentityMap, options: JwtVerifierOptions = {}): TokenVerifier {
  const keys = options.keys ?? createRemoteJWKSet(oidc.jwksUrl);
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSeconds ?? 0,
      }));
    } catch (err) {
      throw jwtProblem(err);
    }
    const role = Role.safeParse(payload[oidc.roleClaim]);
    if (!role.success) throw forbidden(`the token's "${oidc.roleClaim}" claim must be one of ${Role.options.join(', ')}`);
    const org = payload[oidc.orgClaim];
    if (typeof org !== 'string' || !Object.hasOwn(identities, org)) {
      throw forbidden(`the token's "${oidc.orgClaim}" claim must name a known org (${Object.keys(identities).join(', ')})`);
    }
    const fabricUser = fabricUserFor(identities, org, role.data);
    if (fabricUser === undefined) throw forbidden(`org ${org} has no ${role.data} role`);
    return { id: `oidc:${String(payload.sub)}`, org, role: role.data, fabricUser };
  };
}

/** jose errors that mean "this token is bad"; any other failure (JWKS unreachable or broken) is the provider's. */
const TOKEN_ERRORS = [
  joseErrors.JWTInvalid,
  joseErrors.JWSInvalid,
  joseErrors.JWSSignatureVerificationFailed,
  joseErrors.JWKSNoMatchingKey,
  joseErrors.JWKSMultipleMatchingKeys,
  joseErrors.JOSEAlgNotAllowed,
  joseErrors.JOSENotSupported,
];

function jwtProblem(err: unknown): ProblemError {
  if (err instanceof joseErrors.JWTExpired) return unauthorized('the token has expired', true);
  if (err instanceof joseErrors.JWTClaimValidationFailed) return unauthorized(`the token's "${err.claim}" claim is not accepted (${err.reason})`, true);
  if (TOKEN_ERRORS.some((kind) => err instanceof kind)) return unauthorized('the token is not a valid JWT signed by the configured issuer', true);
  return new ProblemError({ status: 503, slug: 'identity-provider-unavailable', headers: { 'Retry-After': '5' }, cause: err });
}

export interface AuthenticatorOptions {
  apiKeys: ApiKeyStore;
  /** OIDC token verification; undefined when OIDC is off. */
  jwt?: TokenVerifier | undefined;
}

/** One verifier for both kinds of bearer token: `aiaudit_…` is an API key, anything else a JWT. */
export function createAuthenticator(options: AuthenticatorOptions): TokenVerifier {
  return async (token) => {
    if (token.startsWith(API_KEY_PREFIX)) {
      const principal = options.apiKeys.verify(token);
      if (principal === undefined) throw unauthorized('the API key is not valid', true);
      return principal;
    }
    if (options.jwt === undefined) throw unauthorized('the bearer token is not an API key and OIDC is not configured', true);
    return options.jwt(token);
  };
}

/** Middleware: reads `Authorization: Bearer <token>` and records the principal for the request. */
export function authenticate(verify: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header === undefined || header.trim() === '') throw unauthorized('send Authorization: Bearer <API key or token>', false);
    const [scheme, token, ...rest] = header.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || token === undefined || rest.length > 0) {
      throw unauthorized('the Authorization header must be "Bearer <API key or token>"', true);
    }
    setPrincipal(req, await verify(token));
    next();
  };
}

/** The authenticated caller; a 401 problem when authenticate did not run or failed. */
export function requirePrincipal(req: Request): Principal {
  const principal = principalOf(req);
  if (principal === undefined) throw unauthorized('authentication is required', false);
  return principal;
}

/** Middleware: 401 without a principal, 403 when its role is not one of `roles`. */
export function requireRole(...roles: readonly Role[]): RequestHandler {
  return (req, _res, next) => {
    const principal = requirePrincipal(req);
    if (!roles.includes(principal.role)) {
      throw forbidden(`role ${principal.role} may not do this; it needs ${roles.length === 1 ? 'role' : 'one of the roles'} ${roles.join(', ')}`);
    }
    next();
  };
}
