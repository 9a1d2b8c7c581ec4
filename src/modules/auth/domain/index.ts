export {
  checkPassword,
  buildCommonPasswordList,
  passwordStem,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_RULE_MESSAGES,
  PASSWORD_HINT,
  type PasswordRule,
  type PasswordViolation,
  type PasswordCheck,
  type PasswordOwner,
  type CommonPasswordList,
} from './password-policy.js';
export { COMMON_PASSWORDS } from './common-passwords.js';
