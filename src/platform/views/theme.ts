/**
 * Everything that brands the pages lives here, so that a deployment run by a collectivité (which
 * may not use the State's brand, per the DSFR's terms of use) can swap it for a neutral theme.
 */
export interface Theme {
  serviceName: string;
  tagline: string;
  /** Lines of the "bloc marque" (Marianne block); empty for a neutral theme. */
  brandLines: string[];
  operatorName: string;
}

export const theme: Theme = {
  serviceName: 'Créneau',
  tagline: 'Prendre rendez-vous avec les services sociaux de votre département',
  brandLines: ['République', 'Française'],
  operatorName: 'Créneau — commun numérique des départements',
};
