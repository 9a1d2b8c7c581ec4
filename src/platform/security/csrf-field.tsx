import { h, type Html } from '../views/jsx.js';
import { CSRF_FIELD_NAME } from './csrf.js';

/** The hidden field every state-changing form carries: `<CsrfField token={csrfToken(request)} />`. */
export function CsrfField(props: { token: string }): Html {
  return <input type="hidden" name={CSRF_FIELD_NAME} value={props.token} />;
}
