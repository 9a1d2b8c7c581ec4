// The e-mails of usager accounts, composed here (pure): the links are absolute URLs given by the
// use case; the token is the last query parameter.
export interface AccountMail {
  readonly subject: string;
  readonly text: string;
}

const SIGNATURE = '\n\n— Créneau, prise de rendez-vous avec les services sociaux';

/** Confirmation of a new account (the link is valid 3 days and sets the password chosen at sign-up). */
export function confirmationMail(firstName: string, link: string): AccountMail {
  return {
    subject: 'Confirmez votre adresse e-mail',
    text: `Bonjour ${firstName},\n\nPour activer votre compte, ouvrez ce lien (valable 3 jours, une seule fois) :\n${link}\n\nSi vous n’êtes pas à l’origine de cette inscription, n’ouvrez pas ce lien et ignorez ce message : aucun compte ne sera activé.${SIGNATURE}`,
  };
}

/** Someone tried to sign up with an address that already has a record: the owner is told, nothing changes. */
export function signUpAttemptMail(links: { signIn: string; resetPassword: string }): AccountMail {
  return {
    subject: 'Tentative de création de compte avec votre adresse',
    text: `Bonjour,\n\nQuelqu’un a essayé de créer un compte avec votre adresse ; connectez-vous ou réinitialisez votre mot de passe.\n\nSe connecter : ${links.signIn}\nRéinitialiser votre mot de passe : ${links.resetPassword}\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre compte n’a pas été modifié.${SIGNATURE}`,
  };
}

/** A passwordless sign-in link (15 minutes, once). */
export function signInLinkMail(link: string): AccountMail {
  return {
    subject: 'Votre lien de connexion',
    text: `Bonjour,\n\nPour vous connecter, ouvrez ce lien (valable 15 minutes, une seule fois) :\n${link}\n\nSi vous n’avez rien demandé, ignorez ce message.${SIGNATURE}`,
  };
}

/** A password-reset link (1 hour, once). */
export function passwordResetMail(link: string): AccountMail {
  return {
    subject: 'Réinitialisez votre mot de passe',
    text: `Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, une seule fois) :\n${link}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.${SIGNATURE}`,
  };
}
