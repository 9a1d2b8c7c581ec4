// French labels of the merge pages: the fields, their values, and why a merge is refused.
import type { FieldValue, MergeField, MergeRefusal } from './merge-plan.js';

export const FIELD_LABELS: Readonly<Record<MergeField, string>> = {
  firstName: 'Prénom',
  lastName: 'Nom',
  birthName: 'Nom de naissance',
  birthDate: 'Date de naissance',
  email: 'Adresse e-mail',
  phone: 'Téléphone',
  address: 'Adresse',
  notifyBySms: 'Notifications par SMS',
  notifyByEmail: 'Notifications par e-mail',
  caisseAffiliation: 'Caisse d’affiliation',
  affiliationNumber: 'Numéro d’allocataire',
  familySituation: 'Situation familiale',
  numberOfChildren: 'Nombre d’enfants',
  housing: 'Logement',
  caseNumber: 'Numéro de dossier',
};

const ENUM_LABELS: Readonly<Partial<Record<MergeField, Readonly<Record<string, string>>>>> = {
  caisseAffiliation: { caf: 'CAF', msa: 'MSA' },
  familySituation: { single: 'Célibataire', in_a_relationship: 'En couple', divorced: 'Divorcé·e ou séparé·e', widowed: 'Veuf ou veuve' },
  housing: { tenant: 'Locataire', owner: 'Propriétaire', hosted: 'Hébergé·e', homeless: 'Sans domicile', other: 'Autre' },
};

/** A value as the page shows it: « Non renseigné » when empty, dates as jj/mm/aaaa, yes/no, enumerations in French. */
export function formatFieldValue(field: MergeField, value: FieldValue): string {
  if (value === null || (typeof value === 'string' && value.trim() === '')) return 'Non renseigné';
  if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
  if (typeof value === 'number') return String(value);
  if (field === 'birthDate') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return match === null ? value : `${match[3] ?? ''}/${match[2] ?? ''}/${match[1] ?? ''}`;
  }
  return ENUM_LABELS[field]?.[value] ?? value;
}

/** Why a merge is refused, in French (the comparison page shows it instead of the form). */
export const REFUSAL_MESSAGES: Readonly<Record<MergeRefusal | 'STALE' | 'ALREADY_MERGED', string>> = {
  SAME_USER: 'Une fiche ne se fusionne pas avec elle-même.',
  RELATIVE_OF_EACH_OTHER: 'L’une de ces personnes est le proche de l’autre : ce ne sont pas des doublons.',
  BOTH_ACCOUNTS: 'Les deux fiches ont chacune un compte en ligne. L’usager doit d’abord fermer l’un de ses comptes ; la fusion n’est pas possible ici.',
  ACCOUNT_ON_MERGED: 'La fiche à fusionner a un compte en ligne : c’est elle qu’il faut conserver. Inversez la fusion.',
  KEEP_THE_RELATIVE: 'La fiche à fusionner est rattachée à un responsable : c’est elle qu’il faut conserver. Inversez la fusion.',
  RESPONSIBLES_DIFFER: 'Ces deux fiches sont rattachées à deux responsables différents : elles ne peuvent pas être fusionnées.',
  RELATIVE_CANNOT_TAKE_RELATIVES: 'La fiche conservée est un proche et la fiche à fusionner a elle-même des proches : fusionnez dans l’autre sens.',
  STALE: 'Une des deux fiches a été modifiée depuis l’affichage de la comparaison. Vérifiez de nouveau les valeurs à conserver.',
  ALREADY_MERGED: 'Cette fiche a déjà été fusionnée ou supprimée.',
};

/** Whether swapping the two usagers is the way out of the refusal (the page then offers the link). */
export function refusalSuggestsSwap(reason: MergeRefusal): boolean {
  return reason === 'ACCOUNT_ON_MERGED' || reason === 'KEEP_THE_RELATIVE' || reason === 'RELATIVE_CANNOT_TAKE_RELATIVES';
}
