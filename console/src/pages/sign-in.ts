// Sign-in: an API key or a JWT, checked with GET /whoami and kept in this tab's memory only.
import { ApiError, type ApiClient } from '../api';
import { h } from '../dom';
import { busy, field, FormErrors } from '../forms';
import { isRole } from '../permissions';
import type { Principal, WhoAmI } from '../types';

export function signInPage(mount: HTMLElement, api: ApiClient, signedIn: (token: string, principal: Principal) => void): void {
  document.title = 'Sign in · aiaudit console';
  const token = field({
    name: 'token',
    label: 'API key or JWT',
    type: 'password',
    hint: 'Kept in this tab’s memory only: reloading or closing the tab signs you out.',
    autocomplete: 'off',
    required: true,
  });
  const errors = new FormErrors([token]);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'sign-in', 'aria-labelledby': 'sign-in-heading', novalidate: true }, h('h1', { id: 'sign-in-heading' }, 'Sign in to the aiaudit console'), token.element, errors.element, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(button, async () => {
      errors.clear();
      const candidate = token.control.value.trim();
      try {
        const me = await api.get<WhoAmI>('/whoami', {}, candidate);
        if (!isRole(me.principal.role)) throw new Error(`unknown role ${String(me.principal.role)}`);
        token.control.value = '';
        signedIn(candidate, me.principal);
      } catch (err) {
        if (err instanceof ApiError) {
          // A refused credential is about the field itself.
          const aboutToken = err.status === 401 || err.status === 403;
          errors.show(aboutToken ? { ...err.problem, errors: [{ field: 'token', message: err.problem.detail ?? err.problem.title }] } : err.problem);
        } else {
          errors.show({ status: 0, title: 'Sign-in failed', detail: err instanceof Error ? err.message : String(err), errors: [] });
        }
      }
    });
  });
  mount.replaceChildren(h('div', { class: 'sign-in-wrap' }, form, h('p', { class: 'hint' }, 'The API itself: ', h('a', { href: '/api/v1/docs' }, 'API documentation'), '.')));
  token.control.focus();
}
