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
export { safeReturnTo, MAX_RETURN_ADDRESS_LENGTH } from './return-address.js';
export { checkEmailForm, checkNewPasswordForm, checkSignInForm, checkSignUpForm, type FieldErrors, type FormCheck } from './account-forms.js';
export { confirmationMail, passwordResetMail, signInLinkMail, signUpAttemptMail, type AccountMail } from './account-mails.js';
