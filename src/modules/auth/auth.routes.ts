// Usager sign-in, sign-up and passwordless link pages. Routes: validate → use case → render or
// redirect (Post/Redirect/Get); 422 with the input kept when a form is wrong.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { csrfToken, endSession, rateLimit, regenerateSession } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { confirmEmail, sendSignInLink, signInWithLink, signInWithPassword, signUp } from './auth.use-cases.js';
import { PASSWORD_HINT } from './domain/index.js';
import { CheckMailboxPage, LinkRequestPage, SignInPage, SignUpPage } from './views/auth-pages.js';

declare module 'fastify' {
  interface Session {
    /** The signed-in usager. */
    userId?: number;
    /** Where to go after signing in through an e-mailed link. */
    returnTo?: string;
  }
}


/** Only local paths are accepted as a return address (no open redirect). */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\/(?![/\\])[^\s]*$/.test(value) ? value : undefined;
}

const EMAIL = z.string().trim().toLowerCase().max(254).pipe(z.email({ error: 'Saisissez une adresse e-mail valide, par exemple nom@domaine.fr.' }));
const NAME = (label: string) => z.string().trim().min(1, `Saisissez votre ${label}.`).max(100, `Votre ${label} est trop long.`);

const signInBody = z.object({ email: z.string().trim().default(''), motDePasse: z.string().default(''), retour: z.string().optional() });
const signUpBody = z.object({
  prenom: NAME('prénom'),
  nom: NAME('nom'),
  email: EMAIL,
  motDePasse: z.string().max(128, 'Le mot de passe est trop long (128 caractères au plus).'),
  retour: z.string().optional(),
});
const linkBody = z.object({ email: EMAIL, retour: z.string().optional() });
const tokenQuery = z.object({ jeton: z.string().max(200).default(''), retour: z.string().optional() });

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= issue.message;
  }
  return errors;
}

function formValue(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** Signs the usager in: a new session id (no fixation), then the return address or "Mes rendez-vous". */
async function signIn(request: FastifyRequest, reply: FastifyReply, userId: number, returnTo: string | undefined): Promise<FastifyReply> {
  await regenerateSession(request, ['searchLocation']);
  request.session.set('userId', userId);
  return reply.redirect(returnTo ?? '/mes-rdv', 303);
}

/** The signed-in usager's id, if any. */
export function currentUserId(request: FastifyRequest): number | undefined {
  return request.session.get('userId');
}

/** Registers /connexion, /inscription, /connexion/lien, /deconnexion. */
export function registerAuthRoutes(app: FastifyInstance, context: AppContext): void {
  const limited = { config: { rateLimit: rateLimit({ max: 10, timeWindowSeconds: 60 }) } };
  const absolute = (path: string): string => `${context.config.baseUrl}${path}`;

  app.get('/connexion', async (request, reply) => {
    const { retour } = tokenQuery.parse(request.query);
    return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), returnTo: safeReturnTo(retour) }));
  });

  app.post('/connexion', limited, async (request, reply) => {
    const body = signInBody.parse(request.body);
    const returnTo = safeReturnTo(body.retour);
    const email = body.email.toLowerCase();
    const errors: Record<string, string> = {};
    if (email === '') errors.email = 'Saisissez votre adresse e-mail.';
    if (body.motDePasse === '') errors.motDePasse = 'Saisissez votre mot de passe.';
    if (Object.keys(errors).length === 0) {
      const result = await signInWithPassword(context.db, { email, password: body.motDePasse });
      if (result.ok) return signIn(request, reply, result.userId, returnTo);
      if (result.reason === 'UNCONFIRMED') {
        errors.email = 'Votre adresse e-mail n’est pas encore confirmée : ouvrez le lien reçu par e-mail, ou demandez un lien de connexion.';
      } else {
        errors.motDePasse = 'E-mail ou mot de passe incorrect.';
      }
    }
    return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), returnTo, email, errors }), { statusCode: 422 });
  });

  app.get('/inscription', async (request, reply) => {
    const { retour } = tokenQuery.parse(request.query);
    return sendPage(reply, SignUpPage({ csrfToken: csrfToken(request), returnTo: safeReturnTo(retour), passwordHint: PASSWORD_HINT }));
  });

  app.post('/inscription', limited, async (request, reply) => {
    const parsed = signUpBody.safeParse(request.body);
    const values = { prenom: formValue(request.body, 'prenom'), nom: formValue(request.body, 'nom'), email: formValue(request.body, 'email') };
    const returnTo = safeReturnTo(formValue(request.body, 'retour'));
    const render = (errors: Record<string, string>): FastifyReply =>
      sendPage(reply, SignUpPage({ csrfToken: csrfToken(request), returnTo, values, errors, passwordHint: PASSWORD_HINT }), { statusCode: 422 });
    if (!parsed.success) return render(fieldErrors(parsed.error));
    const confirmationPath = `/inscription/confirmer${returnTo === undefined ? '' : `?retour=${encodeURIComponent(returnTo)}`}`;
    const result = await signUp(context.db, context.mailer, {
      firstName: parsed.data.prenom,
      lastName: parsed.data.nom,
      email: parsed.data.email,
      password: parsed.data.motDePasse,
      now: context.now(),
      confirmationUrl: absolute(confirmationPath),
    });
    if (!result.ok) return render(result.errors);
    return reply.redirect('/inscription/verifiez-vos-e-mails', 303);
  });

  app.get('/inscription/verifiez-vos-e-mails', async (_request, reply) =>
    sendPage(
      reply,
      CheckMailboxPage({
        title: 'Vérifiez votre boîte e-mail',
        message: 'Nous vous avons envoyé un e-mail avec un lien pour activer votre compte. Il est valable 3 jours.',
      }),
    ),
  );

  app.get('/inscription/confirmer', async (request, reply) => {
    const { jeton, retour } = tokenQuery.parse(request.query);
    const result = await confirmEmail(context.db, { token: jeton, now: context.now() });
    if (!result.ok) {
      return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: 'Ce lien de confirmation n’est plus valable. Connectez-vous, ou demandez un lien de connexion par e-mail.' }), { statusCode: 403 });
    }
    return signIn(request, reply, result.userId, safeReturnTo(retour));
  });

  app.get('/connexion/lien', async (request, reply) => {
    const { retour } = tokenQuery.parse(request.query);
    return sendPage(reply, LinkRequestPage({ csrfToken: csrfToken(request), returnTo: safeReturnTo(retour) }));
  });

  app.post('/connexion/lien', limited, async (request, reply) => {
    const parsed = linkBody.safeParse(request.body);
    const returnTo = safeReturnTo(formValue(request.body, 'retour'));
    if (!parsed.success) {
      return sendPage(reply, LinkRequestPage({ csrfToken: csrfToken(request), returnTo, email: formValue(request.body, 'email'), errors: fieldErrors(parsed.error) }), { statusCode: 422 });
    }
    const signInPath = '/connexion/lien/verifier';
    await sendSignInLink(context.db, context.mailer, { email: parsed.data.email, now: context.now(), signInUrl: absolute(signInPath) });
    if (returnTo !== undefined) request.session.set('returnTo', returnTo);
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

  app.get('/connexion/lien/verifier', async (request, reply) => {
    const { jeton } = tokenQuery.parse(request.query);
    const result = await signInWithLink(context.db, { token: jeton, now: context.now() });
    if (!result.ok) {
      return sendPage(reply, SignInPage({ csrfToken: csrfToken(request), notice: 'Ce lien de connexion a expiré ou a déjà servi. Demandez-en un nouveau.' }), { statusCode: 403 });
    }
    const returnTo = request.session.get('returnTo');
    return signIn(request, reply, result.userId, returnTo);
  });

  app.post('/deconnexion', async (request, reply) => {
    await endSession(request, reply, context.config.baseUrl);
    return reply.redirect('/', 303);
  });
}
