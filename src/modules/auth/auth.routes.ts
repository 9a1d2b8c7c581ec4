// Usager sign-in, sign-up, passwordless link and password reset pages, as an encapsulated plugin.
// Routes: schema (auth.schemas.ts, 400) → form rules (domain, 422 with the input kept) → one use
// case → render or redirect (Post/Redirect/Get). E-mailed links open a page with a button; only
// its POST uses the token (no sign-in on a GET).
import { accountMailQueueOf } from '../notifications/index.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginAsyncZod } from '../../platform/http/schemas.js';
import { csrfToken, endSession, rateLimit, regenerateSession } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { confirmationBody, emailBody, linkBody, linkQuery, newPasswordBody, returnQuery, signInBody, signUpBody } from './auth.schemas.js';
import {
  confirmationLinkState,
  confirmEmail,
  isUsableLink,
  requestPasswordReset,
  resetPassword,
  sendSignInLink,
  signInWithLink,
  signInWithPassword,
  signUp,
  type AccountServices,
} from './auth.use-cases.js';
import { checkEmailForm, checkNewPasswordForm, checkSignInForm, checkSignUpForm, PASSWORD_HINT, safeReturnTo } from './domain/index.js';
import { CheckMailboxPage, ForgotPasswordPage, LinkActionPage, LinkRequestPage, NewPasswordPage, SignInPage, SignUpPage } from './views/auth-pages.js';

declare module 'fastify' {
  interface Session {
    /** The signed-in usager. */
    userId?: number;
  }
}

/**
 * Per client address (a social-services office puts 50 people behind one address): generous, the
 * per-account limits (sign-in throttle, e-mails per address) do the real work. See
 * platform/security/README.md for the table of limits.
 */
const FORM_LIMIT = { config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 15 * 60 }) } };

const INVALID_CREDENTIALS = 'E-mail ou mot de passe incorrect. Si vous venez de créer votre compte, ouvrez d’abord le lien de confirmation reçu par e-mail.';
const EXPIRED_LINK = 'Ce lien a expiré ou a déjà servi. Connectez-vous, ou demandez un nouveau lien par e-mail.';

/** The signed-in usager's id, if any. */
export function currentUserId(request: FastifyRequest): number | undefined {
  return request.session.get('userId');
}

/** preHandler of pages for signed-in usagers: anonymous visitors go to sign-in, then come back (303). */
export async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (currentUserId(request) !== undefined) return;
  const returnTo = request.method === 'GET' ? (safeReturnTo(request.url) ?? '/mes-rdv') : '/mes-rdv';
  await reply.redirect(`/connexion?retour=${encodeURIComponent(returnTo)}`, 303);
}

/** The return address with `compte=active`, so the page it shows says the account was just activated. */
function withAccountActivated(returnTo: string): string {
  return `${returnTo}${returnTo.includes('?') ? '&' : '?'}compte=active`;
}

/** Signs the usager in: a new session id (no fixation), then the return address or "Mes rendez-vous". */
async function signIn(request: FastifyRequest, reply: FastifyReply, userId: number, returnTo: string | undefined): Promise<FastifyReply> {
  await regenerateSession(request, ['searchLocation']);
  request.session.set('userId', userId);
  return reply.redirect(returnTo ?? '/mes-rdv', 303);
}

function throttledMessage(retryAfterMs: number): string {
  const wait = retryAfterMs < 60_000 ? 'quelques secondes' : `${String(Math.ceil(retryAfterMs / 60_000))} minutes`;
  return `Trop de tentatives de connexion avec cette adresse. Réessayez dans ${wait}, ou recevez un lien de connexion par e-mail ou réinitialisez votre mot de passe.`;
}

/** Usager accounts: /connexion, /inscription, /connexion/lien, /mot-de-passe-oublie, /deconnexion. */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async; this one only registers routes
export const authPlugin: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const services: AccountServices = {
    db: context.db,
    mail: accountMailQueueOf(context, app.log),
    sessionSecret: context.config.sessionSecret,
    baseUrl: context.config.baseUrl,
  };
  app.addHook('onClose', async () => services.mail.drain());

  app.get('/connexion', { schema: { querystring: returnQuery } }, async (request, reply) =>
    sendPage(reply, SignInPage({ csrfToken: csrfToken(request), returnTo: safeReturnTo(request.query.retour) })),
  );

  app.post('/connexion', { ...FORM_LIMIT, schema: { body: signInBody } }, async (request, reply) => {
    const returnTo = safeReturnTo(request.body.retour);
    const form = checkSignInForm(request.body);
    const render = (statusCode: number, errors: Record<string, string>): FastifyReply =>
      sendPage(reply, SignInPage({ csrfToken: csrfToken(request), returnTo, email: request.body.email, errors }), { statusCode });
    if (!form.ok) return render(422, form.errors);
    const result = await signInWithPassword(services, { ...form.value, now: context.now() });
    if (result.ok) return signIn(request, reply, result.userId, returnTo);
    if (result.reason === 'THROTTLED') {
      reply.header('retry-after', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
      return render(429, { motDePasse: throttledMessage(result.retryAfterMs) });
    }
    return render(422, { motDePasse: INVALID_CREDENTIALS });
  });

  app.get('/inscription', { schema: { querystring: returnQuery } }, async (request, reply) =>
    sendPage(reply, SignUpPage({ csrfToken: csrfToken(request), returnTo: safeReturnTo(request.query.retour), passwordHint: PASSWORD_HINT })),
  );

  app.post('/inscription', { ...FORM_LIMIT, schema: { body: signUpBody } }, async (request, reply) => {
    const { body } = request;
    const returnTo = safeReturnTo(body.retour);
    const render = (errors: Record<string, string>): FastifyReply =>
      sendPage(reply, SignUpPage({ csrfToken: csrfToken(request), returnTo, values: { prenom: body.prenom, nom: body.nom, email: body.email }, errors, passwordHint: PASSWORD_HINT }), {
        statusCode: 422,
      });
    const form = checkSignUpForm(body);
    if (!form.ok) return render(form.errors);
    const result = await signUp(services, { ...form.value, returnTo, now: context.now() });
    if (!result.ok) return render(result.errors);
    return reply.redirect('/inscription/verifiez-vos-e-mails', 303);
  });

  app.get('/inscription/verifiez-vos-e-mails', async (_request, reply) =>
    sendPage(
      reply,
      CheckMailboxPage({
        title: 'Vérifiez votre boîte e-mail',
        message: 'Nous vous avons envoyé un e-mail pour activer votre compte. Le lien est valable 3 jours. Si vous aviez déjà un compte, l’e-mail vous explique comment vous connecter.',
      }),
    ),
  );

  const activationPage = (request: FastifyRequest, props: { token: string; returnTo: string | undefined; askPassword: boolean; error?: string }) =>
    LinkActionPage({
      csrfToken: csrfToken(request),
      title: 'Activer votre compte',
      message: props.askPassword
        ? 'Pour activer votre compte, saisissez le mot de passe choisi à l’inscription. Si vous n’avez pas demandé à créer de compte, fermez cette page ; si vous avez oublié ce mot de passe, réinitialisez-le.'
        : 'Activez votre compte pour vous connecter. Si vous n’avez pas demandé à créer de compte, fermez cette page.',
      action: '/inscription/confirmer',
      token: props.token,
      returnTo: props.returnTo,
      button: 'Activer mon compte',
      password: props.askPassword ? { label: 'Mot de passe choisi à l’inscription', error: props.error } : undefined,
    });

  app.get('/inscription/confirmer', { schema: { querystring: linkQuery } }, async (request, reply) => {
    const { jeton, retour } = request.query;
    const state = await confirmationLinkState(services, { token: jeton, now: context.now() });
    if (state === 'UNUSABLE') return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: EXPIRED_LINK }), { statusCode: 403 });
    return sendPage(reply, activationPage(request, { token: jeton, returnTo: safeReturnTo(retour), askPassword: state === 'ASK_PASSWORD' }));
  });

  app.post('/inscription/confirmer', { ...FORM_LIMIT, schema: { body: confirmationBody } }, async (request, reply) => {
    const returnTo = safeReturnTo(request.body.retour);
    const result = await confirmEmail(services, { token: request.body.jeton, password: request.body.motDePasse ?? '', now: context.now() });
    // Back to where the person was (the chosen slot, even on another device), told that the account is active.
    if (result.ok) return signIn(request, reply, result.userId, returnTo === undefined ? '/mes-rdv?compte=active' : withAccountActivated(returnTo));
    if (result.reason === 'WRONG_PASSWORD') {
      const error = 'Ce n’est pas le mot de passe choisi à l’inscription. Saisissez-le de nouveau, ou réinitialisez-le avec « Mot de passe oublié ».';
      return sendPage(reply, activationPage(request, { token: request.body.jeton, returnTo, askPassword: true, error }), { statusCode: 422 });
    }
    return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: EXPIRED_LINK }), { statusCode: 403 });
  });

  app.get('/connexion/lien', { schema: { querystring: returnQuery } }, async (request, reply) =>
    sendPage(reply, LinkRequestPage({ csrfToken: csrfToken(request), returnTo: safeReturnTo(request.query.retour) })),
  );

  app.post('/connexion/lien', { ...FORM_LIMIT, schema: { body: emailBody } }, async (request, reply) => {
    const returnTo = safeReturnTo(request.body.retour);
    const form = checkEmailForm(request.body);
    if (!form.ok) {
      return sendPage(reply, LinkRequestPage({ csrfToken: csrfToken(request), returnTo, email: request.body.email, errors: form.errors }), { statusCode: 422 });
    }
    await sendSignInLink(services, { email: form.value.email, returnTo, now: context.now() });
    return reply.redirect('/connexion/lien/envoye', 303);
  });

  app.get('/connexion/lien/envoye', async (_request, reply) =>
    sendPage(
      reply,
      CheckMailboxPage({
        title: 'Vérifiez votre boîte e-mail',
        message: 'Si un compte existe avec cette adresse, un lien de connexion vient d’y être envoyé. Il est valable 15 minutes.',
      }),
    ),
  );

  app.get('/connexion/lien/verifier', { schema: { querystring: linkQuery } }, async (request, reply) => {
    const { jeton, retour } = request.query;
    if (!(await isUsableLink(services, { token: jeton, purpose: 'passwordless_sign_in', now: context.now() }))) {
      return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: EXPIRED_LINK }), { statusCode: 403 });
    }
    return sendPage(
      reply,
      LinkActionPage({
        csrfToken: csrfToken(request),
        title: 'Se connecter',
        message: 'Vous avez demandé un lien de connexion par e-mail. Confirmez pour vous connecter.',
        action: '/connexion/lien/verifier',
        token: jeton,
        returnTo: safeReturnTo(retour),
        button: 'Me connecter',
      }),
    );
  });

  app.post('/connexion/lien/verifier', { ...FORM_LIMIT, schema: { body: linkBody } }, async (request, reply) => {
    const result = await signInWithLink(services, { token: request.body.jeton, now: context.now() });
    if (!result.ok) return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: EXPIRED_LINK }), { statusCode: 403 });
    return signIn(request, reply, result.userId, safeReturnTo(request.body.retour));
  });

  app.get('/mot-de-passe-oublie', async (request, reply) => sendPage(reply, ForgotPasswordPage({ csrfToken: csrfToken(request) })));

  app.post('/mot-de-passe-oublie', { ...FORM_LIMIT, schema: { body: emailBody } }, async (request, reply) => {
    const form = checkEmailForm(request.body);
    if (!form.ok) return sendPage(reply, ForgotPasswordPage({ csrfToken: csrfToken(request), email: request.body.email, errors: form.errors }), { statusCode: 422 });
    await requestPasswordReset(services, { email: form.value.email, now: context.now() });
    return reply.redirect('/mot-de-passe-oublie/envoye', 303);
  });

  app.get('/mot-de-passe-oublie/envoye', async (_request, reply) =>
    sendPage(
      reply,
      CheckMailboxPage({
        title: 'Vérifiez votre boîte e-mail',
        message: 'Si un compte existe avec cette adresse, un lien pour choisir un nouveau mot de passe vient d’y être envoyé. Il est valable 1 heure.',
      }),
    ),
  );

  app.get('/mot-de-passe/nouveau', { schema: { querystring: linkQuery } }, async (request, reply) => {
    const { jeton } = request.query;
    if (!(await isUsableLink(services, { token: jeton, purpose: 'password_reset', now: context.now() }))) {
      return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: EXPIRED_LINK }), { statusCode: 403 });
    }
    return sendPage(reply, NewPasswordPage({ csrfToken: csrfToken(request), token: jeton, passwordHint: PASSWORD_HINT }));
  });

  app.post('/mot-de-passe/nouveau', { ...FORM_LIMIT, schema: { body: newPasswordBody } }, async (request, reply) => {
    const { jeton } = request.body;
    const render = (errors: Record<string, string>): FastifyReply =>
      sendPage(reply, NewPasswordPage({ csrfToken: csrfToken(request), token: jeton, passwordHint: PASSWORD_HINT, errors }), { statusCode: 422 });
    const form = checkNewPasswordForm(request.body);
    if (!form.ok) return render(form.errors);
    const result = await resetPassword(services, { token: jeton, password: form.value.password, now: context.now() });
    if (result.ok) return signIn(request, reply, result.userId, undefined);
    if (result.reason === 'WEAK_PASSWORD') return render(result.errors);
    return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: EXPIRED_LINK }), { statusCode: 403 });
  });

  app.post('/deconnexion', async (request, reply) => {
    await endSession(request, reply, context.config.baseUrl);
    return reply.redirect('/', 303);
  });
};
