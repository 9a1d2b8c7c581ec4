// The e-mails of agent accounts, composed here (pure): links are absolute URLs given by the use
// case, with the token as their last query parameter.
export interface AgentMail {
  readonly subject: string;
  readonly text: string;
}

const SIGNATURE = '\n\n— Créneau, espace agents';

/** How long an invitation link stays usable. */
export const INVITATION_VALIDITY_DAYS = 7;
/** How long a password-reset link stays usable. */
export const PASSWORD_RESET_VALIDITY_MINUTES = 60;

/** The invitation to join an organisation: the link lets the invitee choose a password (7 days, once). */
export function agentInvitationMail(props: { firstName: string; organisationName: string; invitedBy: string; link: string }): AgentMail {
  return {
    subject: `Invitation à rejoindre ${props.organisationName} sur Créneau`,
    text: `Bonjour ${props.firstName},\n\n${props.invitedBy} vous invite à rejoindre « ${props.organisationName} » sur Créneau, l’outil de prise de rendez-vous des services sociaux.\n\nPour choisir votre mot de passe et accéder à votre espace, ouvrez ce lien (valable ${String(INVITATION_VALIDITY_DAYS)} jours, une seule fois) :\n${props.link}\n\nSi le lien a expiré, demandez une nouvelle invitation à ${props.invitedBy}. Si vous ne vous attendiez pas à cette invitation, ignorez ce message.${SIGNATURE}`,
  };
}

/** An agent who already has an account was given a role in one more organisation. */
export function agentAddedMail(props: { firstName: string; organisationName: string; invitedBy: string; signInLink: string }): AgentMail {
  return {
    subject: `Vous avez accès à ${props.organisationName} sur Créneau`,
    text: `Bonjour ${props.firstName},\n\n${props.invitedBy} vous a donné accès à « ${props.organisationName} » sur Créneau. Connectez-vous avec votre adresse e-mail et votre mot de passe habituels :\n${props.signInLink}\n\nSi vous pensez qu’il s’agit d’une erreur, répondez à la personne qui vous a invité.${SIGNATURE}`,
  };
}

/** A password-reset link for an agent (1 hour, once). */
export function agentPasswordResetMail(link: string): AgentMail {
  return {
    subject: 'Réinitialisez votre mot de passe Créneau (espace agents)',
    text: `Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable ${String(PASSWORD_RESET_VALIDITY_MINUTES)} minutes, une seule fois) :\n${link}\n\nVos autres sessions seront fermées. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.${SIGNATURE}`,
  };
}
