import { describe, expect, it } from 'vitest';
import { formatBundleError } from './bundle.js';
import { serialiseBundle, serialiseZones } from './bundle-serialisation.js';
import { validateBundle, validateZonesFile } from './bundle-validation.js';

/** A small valid bundle, one file per entry (header + rows, `;`). */
function validFiles(): Map<string, string> {
  return new Map(
    Object.entries({
      'territoire.csv': 'numero_departement;nom;region_feries\n14;Calvados;\n',
      'services.csv': 'nom_court;nom;secretariat\nPMI;Protection maternelle et infantile;non\nRSA;Insertion et RSA;non\n',
      'categories.csv': 'nom_court;nom\nrsa_orientation;RSA orientation\n',
      'organisations.csv': 'slug;nom;id_externe\nmds-caen;MDS de Caen;MDS-CAEN\n',
      'lieux.csv': 'organisation;nom;adresse;latitude;longitude\nmds-caen;MDS Caen Nord;35 boulevard Pompidou, 14000 Caen;49,2012;-0.3672\n',
      'motifs.csv':
        'organisation;nom;service;categorie;duree_minutes;type_lieu;reservable_par;sectorisation\n' +
        'mds-caen;Consultation;PMI;;30;public_office;everyone;organisation\n' +
        'mds-caen;Orientation RSA;RSA;rsa_orientation;30;visio;agents;departement\n',
      'equipes.csv': 'nom\nÉquipe PMI\n',
      'agents.csv':
        'email;prenom;nom;roles;services;equipes;admin_territoire\n' +
        'Anne.Marie@calvados.example;Anne;Marie;mds-caen:admin;PMI;Équipe PMI;oui\n' +
        ';Hugo;Lerouge;mds-caen:intervenant;RSA;;non\n',
      'plages.csv':
        'organisation;agent;lieu;titre;premier_jour;dernier_jour;heure_debut;heure_fin;recurrence;jours_exclus;motifs\n' +
        'mds-caen;anne.marie@calvados.example;MDS Caen Nord;Matinées;2026-09-07;;09:00;12:00;"FREQ=WEEKLY;BYDAY=MO";;Consultation\n',
      'secteurs.csv': 'identifiant;nom\ncaen;Secteur de Caen\n',
      'zones.csv': 'secteur;code_insee;nom_commune;id_voie_ban;nom_voie\ncaen;14118;Caen;;\ncaen;14118;Caen;14118_0420;Rue de la Gare\n',
      'attributions.csv': 'secteur;organisation;agent\ncaen;mds-caen;\ncaen;mds-caen;Hugo Lerouge\n',
    }),
  );
}

function errorsOf(files: Map<string, string>): string[] {
  const result = validateBundle(files);
  return result.ok ? [] : result.errors.map(formatBundleError);
}

function withFile(name: string, text: string): Map<string, string> {
  const files = validFiles();
  files.set(name, text);
  return files;
}

describe('validation of a whole bundle', () => {
  it('accepts a valid bundle and reads every field with its defaults', () => {
    const result = validateBundle(validFiles());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { bundle } = result;
    expect(bundle.places[0]).toMatchObject({ latitude: 49.2012, longitude: -0.3672, timeZone: 'Europe/Paris' });
    expect(bundle.agents.map((agent) => agent.email)).toEqual(['anne.marie@calvados.example', null]);
    expect(bundle.motifs[0]).toMatchObject({ color: '#000091', minBookingNoticeMinutes: 30, maxBookingNoticeMinutes: 131_400, reminderOffsetsMinutes: [2880], cancelDeadlineMinutes: 240 });
    expect(bundle.zones[1]).toMatchObject({ streetBanId: '14118_0420', streetName: 'Rue de la Gare' });
    expect(bundle.attributions[1]?.agent).toBe('Hugo Lerouge');
    expect(bundle.openingPeriods[0]).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', startTime: '09:00', motifs: ['Consultation'] });
  });

  it('reads a `,`-separated file too, and a bundle serialised back validates to the same data', () => {
    const files = withFile('secteurs.csv', 'identifiant,nom\ncaen,"Secteur de Caen, plaine"\n');
    const result = validateBundle(files);
    expect(result.ok && result.bundle.sectors[0]?.name).toBe('Secteur de Caen, plaine');
    if (!result.ok) return;
    const again = validateBundle(serialiseBundle(result.bundle));
    expect(again.ok && serialiseBundle(again.bundle)).toEqual(serialiseBundle(result.bundle));
  });

  it('reports a missing file, but lets the optional ones out', () => {
    const files = validFiles();
    files.delete('zones.csv');
    files.delete('equipes.csv');
    files.delete('categories.csv');
    expect(errorsOf(files)).toEqual(expect.arrayContaining(['zones.csv : fichier manquant dans le lot']));
    expect(errorsOf(files).some((line) => line.startsWith('equipes.csv : fichier manquant'))).toBe(false);
  });

  it('reports header problems: unknown, repeated and missing columns, and an empty file', () => {
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom;couleur\n'))).toEqual(['secteurs.csv, ligne 1, couleur : colonne inconnue (colonnes permises : identifiant, nom)']);
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom;nom\n'))).toEqual(['secteurs.csv, ligne 1, nom : colonne répétée']);
    expect(errorsOf(withFile('equipes.csv', 'name\n'))).toContain('equipes.csv, ligne 1, nom : colonne obligatoire absente de l’en-tête');
    expect(errorsOf(withFile('equipes.csv', ''))).toContain('equipes.csv : fichier vide : la première ligne doit nommer les colonnes');
  });

  it('ignores the empty trailing columns a spreadsheet may save', () => {
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom;;\ncaen;Secteur de Caen;;\n'))).toEqual([]);
  });

  it('reports an unreadable CSV and a line with the wrong number of cells', () => {
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom\n"caen;Secteur\n'))).toEqual(['secteurs.csv, ligne 2 : CSV illisible : guillemet ouvrant sans guillemet fermant']);
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom\ncaen;Secteur;en trop\n'))).toEqual(['secteurs.csv, ligne 2 : 3 cellules au lieu de 2 (une par colonne de l’en-tête)']);
  });

  it('reports empty required values, overlong texts and control characters', () => {
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom\ncaen;\n'))).toEqual(['secteurs.csv, ligne 2, nom : valeur obligatoire manquante']);
    expect(errorsOf(withFile('secteurs.csv', `identifiant;nom\ncaen;${'x'.repeat(10_000)}\n`))).toEqual(['secteurs.csv, ligne 2, nom : texte trop long (10000 caractères, 200 au plus)']);
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom\ncaen;Sec\u0007teur\n'))).toEqual(['secteurs.csv, ligne 2, nom : caractères de contrôle non autorisés']);
  });

  it('reports malformed numbers, booleans, enumerations, dates, times, colours, e-mails and time zones', () => {
    const motifs = withFile(
      'motifs.csv',
      'organisation;nom;service;duree_minutes;type_lieu;couleur;collectif\nmds-caen;Consultation;PMI;trente;bureau;rouge;peut-être\nmds-caen;Orientation RSA;RSA;2000;visio;#AABBCC;non\n',
    );
    expect(errorsOf(motifs)).toEqual([
      'motifs.csv, ligne 2, couleur : « rouge » n’est pas une couleur #RRVVBB',
      'motifs.csv, ligne 2, duree_minutes : « trente » n’est pas un nombre entier',
      'motifs.csv, ligne 2, type_lieu : « bureau » n’est pas une valeur permise (public_office, phone, home, visio)',
      'motifs.csv, ligne 2, collectif : « peut-être » : répondez oui ou non',
      'motifs.csv, ligne 3, duree_minutes : 2000 est hors des bornes (1 à 1440)',
    ]);
    const periods = withFile(
      'plages.csv',
      'organisation;agent;lieu;titre;premier_jour;heure_debut;heure_fin;recurrence;motifs\nmds-caen;anne.marie@calvados.example;MDS Caen Nord;Matinées;2026-02-30;9h;12:00;FREQ=WEEKLY;Consultation\n',
    );
    expect(errorsOf(periods)).toEqual([
      'plages.csv, ligne 2, premier_jour : « 2026-02-30 » n’est pas une date AAAA-MM-JJ valide',
      'plages.csv, ligne 2, heure_debut : « 9h » n’est pas une heure HH:MM valide',
    ]);
    expect(errorsOf(withFile('organisations.csv', 'slug;nom;email;fuseau_horaire;site_web\nmds-caen;MDS;pas-une-adresse;Europe/Caen;ftp://x\n'))).toEqual([
      'organisations.csv, ligne 2, email : « pas-une-adresse » n’est pas une adresse électronique',
      'organisations.csv, ligne 2, site_web : « ftp://x » : une adresse web commence par https://',
      'organisations.csv, ligne 2, fuseau_horaire : fuseau horaire « Europe/Caen » inconnu (exemple : Europe/Paris)',
    ]);
    expect(errorsOf(withFile('lieux.csv', 'organisation;nom;adresse;latitude;longitude\nmds-caen;MDS Caen Nord;1 rue, Caen;91;abc\n'))).toEqual([
      'lieux.csv, ligne 2, latitude : 91 est hors des bornes (-90 à 90)',
      'lieux.csv, ligne 2, longitude : « abc » n’est pas un nombre',
    ]);
  });

  it('reports the codes of the territory and of its zones', () => {
    expect(errorsOf(withFile('territoire.csv', 'numero_departement;nom\n140;Calvados\n'))).toContain('territoire.csv, ligne 2, numero_departement : « 140 » n’est pas un numéro de département (14, 2A, 974…)');
    expect(errorsOf(withFile('territoire.csv', 'numero_departement;nom\n14;Calvados\n61;Orne\n'))).toEqual(['territoire.csv, ligne 3 : le fichier ne décrit qu’un territoire : une seule ligne après l’en-tête']);
    expect(errorsOf(withFile('territoire.csv', 'numero_departement;nom\n'))).toContain('territoire.csv : aucun territoire décrit : une ligne est attendue après l’en-tête');
    const zones = withFile('zones.csv', 'secteur;code_insee;nom_commune;id_voie_ban;nom_voie\ncaen;1411;Caen;;\ncaen;61001;Alençon;;\ncaen;14118;Caen;14047_0001;Rue\ncaen;14118;Caen;14118-42;Rue\ncaen;14118;Caen;;Rue sans code\n');
    expect(errorsOf(zones)).toEqual([
      'zones.csv, ligne 2, code_insee : « 1411 » n’est pas un code INSEE de commune (5 caractères, exemple : 14118)',
      'zones.csv, ligne 3, code_insee : la commune 61001 n’est pas dans le département 14',
      'zones.csv, ligne 4, id_voie_ban : la voie « 14047_0001 » n’est pas dans la commune 14118',
      'zones.csv, ligne 5, id_voie_ban : « 14118-42 » n’est pas un identifiant de voie BAN (code INSEE, « _ », code FANTOIR : 14118_0420)',
      'zones.csv, ligne 6, id_voie_ban : une zone de rue a besoin de l’identifiant BAN de la voie',
    ]);
  });

  it('reports duplicated natural keys with the line of the first occurrence', () => {
    expect(errorsOf(withFile('secteurs.csv', 'identifiant;nom\ncaen;A\ncaen;B\n'))).toEqual(['secteurs.csv, ligne 3, identifiant : secteur déjà décrit ligne 2']);
    expect(errorsOf(withFile('zones.csv', 'secteur;code_insee;nom_commune\ncaen;14118;Caen\ncaen;14118;Caen\n'))).toEqual(['zones.csv, ligne 3, code_insee : zone déjà décrit ligne 2']);
  });

  it('reports references to what the bundle does not describe', () => {
    const agents = withFile('agents.csv', 'email;prenom;nom;roles;services;equipes\nanne.marie@calvados.example;Anne;Marie;mds-caen:admin|mds-vire:basic;PMI|CAF;Inconnue\n;Hugo;Lerouge;mds-caen:intervenant;RSA;\n');
    expect(errorsOf(agents)).toEqual([
      'agents.csv, ligne 2, roles : organisation « mds-vire » absente de organisations.csv',
      'agents.csv, ligne 2, services : service « CAF » absent de services.csv',
      'agents.csv, ligne 2, equipes : équipe « Inconnue » absente de equipes.csv',
    ]);
    const periods = withFile(
      'plages.csv',
      'organisation;agent;lieu;titre;premier_jour;heure_debut;heure_fin;recurrence;motifs\n' +
        'mds-caen;personne@calvados.example;Ailleurs;Matinées;2026-09-07;09:00;12:00;"FREQ=WEEKLY;BYDAY=MO";Consultation|Inconnu\n' +
        'mds-caen;Hugo Lerouge;;Matinées;2026-09-07;09:00;12:00;"FREQ=WEEKLY;BYDAY=MO";Consultation\n',
    );
    expect(errorsOf(periods)).toEqual([
      'plages.csv, ligne 2, agent : agent « personne@calvados.example » absent de agents.csv',
      'plages.csv, ligne 2, lieu : lieu « Ailleurs » absent de lieux.csv pour l’organisation « mds-caen »',
      'plages.csv, ligne 2, motifs : motif « Inconnu » absent de motifs.csv pour l’organisation « mds-caen »',
      'plages.csv, ligne 3, lieu : le motif « Consultation » se tient sur place : la plage doit avoir un lieu',
    ]);
    expect(errorsOf(withFile('attributions.csv', 'secteur;organisation;agent\nnord;mds-caen;x@calvados.example\n'))).toEqual([
      'attributions.csv, ligne 2, secteur : secteur « nord » absent de secteurs.csv',
      'attributions.csv, ligne 2, agent : agent « x@calvados.example » absent de agents.csv',
    ]);
  });

  it('enforces the rules between fields: notices, collective motifs, intervenants, roles, admins, recurrences', () => {
    expect(errorsOf(withFile('motifs.csv', 'organisation;nom;service;duree_minutes;delai_min_minutes;delai_max_minutes;collectif;type_lieu\nmds-caen;Consultation;PMI;30;600;60;oui;phone\nmds-caen;Orientation RSA;RSA;30;;;non;visio\n'))).toEqual([
      'motifs.csv, ligne 2, delai_max_minutes : le délai maximal de réservation doit dépasser le délai minimal',
      'motifs.csv, ligne 2, collectif : un motif collectif se tient sur place (type_lieu public_office)',
    ]);
    expect(errorsOf(withFile('agents.csv', 'email;prenom;nom;roles;services\n;Anne;Marie;mds-caen:admin;PMI\n;Hugo;Lerouge;mds-caen:chef;RSA\n'))).toEqual([
      'agents.csv, ligne 2, email : un agent sans adresse électronique ne peut être qu’intervenant (il ne se connecte pas)',
      'agents.csv, ligne 3, roles : « mds-caen:chef » : attendu « organisation:niveau » avec un niveau parmi admin, basic, intervenant',
      'plages.csv, ligne 2, agent : agent « anne.marie@calvados.example » absent de agents.csv',
      'attributions.csv, ligne 3, agent : l’agent « Hugo Lerouge » n’a pas de rôle dans l’organisation « mds-caen »',
    ]);
    const period = (recurrence: string, lastDay = '', endTime = '12:00'): Map<string, string> =>
      withFile(
        'plages.csv',
        `organisation;agent;lieu;titre;premier_jour;dernier_jour;heure_debut;heure_fin;recurrence;motifs\nmds-caen;anne.marie@calvados.example;MDS Caen Nord;Matinées;2026-09-07;${lastDay};09:00;${endTime};"${recurrence}";Consultation\n`,
      );
    expect(errorsOf(period('FREQ=DAILY'))).toEqual(['plages.csv, ligne 2, recurrence : la fréquence doit être hebdomadaire (WEEKLY) ou mensuelle (MONTHLY)']);
    expect(errorsOf(period('FREQ=WEEKLY;BYDAY=MO', '', '08:00'))).toEqual(['plages.csv, ligne 2, heure_fin : l\'heure de fin doit être après l\'heure de début']);
    expect(errorsOf(period('FREQ=WEEKLY;BYDAY=MO;COUNT=3', '2026-12-01'))).toEqual(['plages.csv, ligne 2, dernier_jour : la récurrence porte déjà sa fin (UNTIL ou COUNT) : laissez dernier_jour vide']);
    expect(errorsOf(period('', '2026-09-08'))).toEqual(['plages.csv, ligne 2, dernier_jour : une plage sans récurrence dure un jour : laissez dernier_jour vide']);
  });

  it('reports malformed lists and reminders', () => {
    expect(errorsOf(withFile('agents.csv', 'email;prenom;nom;roles;services\nanne.marie@calvados.example;Anne;Marie;mds-caen:admin;PMI||RSA\n;Hugo;Lerouge;mds-caen:intervenant;RSA|RSA\n'))).toEqual([
      'agents.csv, ligne 2, services : liste mal formée : un élément vide entre deux « | »',
      'agents.csv, ligne 3, services : « RSA » est répété dans la liste',
    ]);
    expect(errorsOf(withFile('agents.csv', 'email;prenom;nom;roles;services\nanne.marie@calvados.example;Anne;Marie;mds-caen:basic;PMI\n;Hugo;Lerouge;mds-caen:intervenant;RSA\n'))).toEqual([
      'organisations.csv, ligne 2, slug : l’organisation « mds-caen » n’a aucun agent admin dans agents.csv',
    ]);
    expect(errorsOf(withFile('agents.csv', 'email;prenom;nom;roles;services\nanne.marie@calvados.example;Anne;Marie;mds-caen:admin;\n;Hugo;Lerouge;;RSA\n'))).toEqual([
      'agents.csv, ligne 2, services : au moins un service est attendu',
      'agents.csv, ligne 3, roles : au moins un rôle « organisation:niveau » est attendu (exemple : mds-caen:basic)',
      'attributions.csv, ligne 3, agent : l’agent « Hugo Lerouge » n’a pas de rôle dans l’organisation « mds-caen »',
    ]);
    expect(errorsOf(withFile('motifs.csv', 'organisation;nom;service;duree_minutes;rappels_minutes\nmds-caen;Consultation;PMI;30;2880|60|10\nmds-caen;Orientation RSA;RSA;30;aucun\n'))).toEqual([
      'motifs.csv, ligne 2, rappels_minutes : « 2880|60|10 » : un ou deux délais en minutes avant le rendez-vous, séparés par « | » (ou « aucun »)',
    ]);
  });
});

describe('zones.csv alone (sectorisation administration, ADR 0031)', () => {
  it('reads the zones with the bundle’s rules and messages, repeated zones and the département included', () => {
    const result = validateZonesFile('secteur;code_insee;nom_commune;id_voie_ban;nom_voie\nnord;14118;Caen;;\nnord;14118;Caen;;\nnord;77288;Melun;;\nnord;14118;Caen;14118_0420;\n', '14');
    expect(result.ok ? [] : result.errors.map(formatBundleError)).toEqual([
      'zones.csv, ligne 3, code_insee : zone déjà décrit ligne 2',
      'zones.csv, ligne 4, code_insee : la commune 77288 n’est pas dans le département 14',
      'zones.csv, ligne 5, nom_voie : le nom de la voie est attendu avec son identifiant BAN',
    ]);
  });

  it('writes back what it reads, in canonical order; a cell rewriter applies to the names only', () => {
    const text = '\uFEFFsecteur;code_insee;nom_commune;id_voie_ban;nom_voie\nnord;14118;Caen;;\nnord;14118;Caen;14118_0420;Rue de Bras\n';
    const result = validateZonesFile(text, '14');
    if (!result.ok) throw new Error('expected valid zones');
    expect(serialiseZones([...result.zones].reverse())).toBe(text);
    expect(serialiseZones(result.zones, (cell) => cell.toUpperCase())).toContain('nord;14118;CAEN;14118_0420;RUE DE BRAS\n');
  });
});
