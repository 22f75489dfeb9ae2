// The signed-in caller: the bearer token lives in this module's memory only (never localStorage, sessionStorage or cookies).
import type { Principal } from './types';

let token: string | undefined;
let principal: Principal | undefined;
const listeners = new Set<() => void>();

export const session = {
  token: (): string | undefined => token,
  principal: (): Principal | undefined => principal,
  signIn(newToken: string, who: Principal): void {
    token = newToken;
    principal = who;
    for (const listener of listeners) listener();
  },
  signOut(): void {
    token = undefined;
    principal = undefined;
    for (const listener of listeners) listener();
  },
  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
