// Teams of a territory, as organisation admins manage them (ADR 0029). A team belongs to the
// territory and may gather agents of several of its organisations; an organisation admin manages
// the membership of their own agents only, and renames or deletes a team only while every member
// is one of their organisation's agents (the team is then theirs alone). Pure.

/** Longest team name. */
export const MAX_TEAM_NAME_LENGTH = 100;

// C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides.
// eslint-disable-next-line no-control-regex -- these characters are exactly what is refused
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LINK = /:\/\/|www\.|\bhttps?\b/i;

/** A team name as typed: one line, trimmed with single spaces, 1 to 100 characters, no link; or a French message. */
export function checkTeamName(value: string | undefined): { ok: true; value: string } | { ok: false; message: string } {
  const typed = value ?? '';
  if (CONTROL_CHARACTERS.test(typed)) return { ok: false, message: 'Le nom de l’équipe tient sur une ligne, sans caractère de contrôle.' };
  const cleaned = typed.trim().replace(/\s{2,}/g, ' ');
  if (cleaned === '') return { ok: false, message: 'Saisissez le nom de l’équipe.' };
  if (cleaned.length > MAX_TEAM_NAME_LENGTH) return { ok: false, message: `Le nom de l’équipe est trop long (${String(MAX_TEAM_NAME_LENGTH)} caractères au plus).` };
  if (LINK.test(cleaned)) return { ok: false, message: 'Le nom de l’équipe ne peut pas contenir d’adresse web.' };
  return { ok: true, value: cleaned };
}

export const TEAM_NAME_TAKEN_MESSAGE = 'Une équipe du territoire porte déjà ce nom : choisissez-en un autre.';

/** Whether the organisation's admin may rename or delete the team: no member outside their organisation. */
export function teamIsOrganisationsAlone(team: { readonly membersElsewhere: number }): boolean {
  return team.membersElsewhere === 0;
}

/** Why a shared team cannot be renamed or deleted from one organisation. */
export function sharedTeamMessage(membersElsewhere: number, action: 'renommer' | 'supprimer'): string {
  const who = membersElsewhere === 1 ? 'un agent d’une autre organisation' : `${String(membersElsewhere)} agents d’autres organisations`;
  return `Cette équipe compte aussi ${who} du territoire : vous ne pouvez pas la ${action} tant qu’ils en font partie. Vous pouvez en retirer vos propres agents.`;
}
