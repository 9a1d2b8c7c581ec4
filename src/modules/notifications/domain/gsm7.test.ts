import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { countSegments, isGsm7, toGsm7 } from './gsm7.js';

/** What an independent implementation (Twilio's segment calculator) says about a text. */
function reference(text: string): { encoding: string; segments: number } {
  const message = new SegmentedMessage(text);
  return { encoding: message.encodingName, segments: message.segmentsCount };
}

const LINK = 'https://rdv.creneau.fr/r/Zk3vQ9xLmP0aBcDeFgHiJw';
const NBSP = '\u00A0';
const NNBSP = '\u202F';

/** French messages as a template or an agent could write them: typography, accents, overseas places. */
const CORPUS: readonly string[] = [
  `Rappel RDV PMI jeu. 3/12 à 14h30\nCentre médico-social de Melun\nInfos et annulation: ${LINK}`,
  `Rappel : votre rendez-vous PMI est demain à 9h00${NBSP}!`,
  `Rappel RDV Service social mar. 8/12 à 10h\nMaison départementale des solidarités de Meaux, 2 rue de l’Hôtel-Dieu 77100 Meaux\n${LINK}`,
  'Votre rendez-vous du lundi 7 décembre est annulé. Appelez le 01 64 00 00 01 pour en reprendre un.',
  'Votre RDV a été annulé à votre demande. À bientôt !',
  `L’équipe de la PMI vous rappelle votre rendez-vous${NBSP}: mercredi 9 décembre à 14${NNBSP}h${NNBSP}30.`,
  '« Bienvenue » : votre compte est créé.',
  `«${NBSP}Maison de l’enfance${NBSP}» — 12, rue de l’Église, 77000 Melun`,
  'Rendez-vous à la Maison France services de Saint-Laurent-du-Maroni (Guyane).',
  'RDV PMI lun. 14/12 à 8h30, CMS du Moule, Guadeloupe. Infos: 0590 12 34 56',
  'Rappel RDV PMI ven. 4/12 à 11h, Centre de santé de Mamoudzou, Mayotte.',
  'RDV Service social à Saint-Denis (La Réunion), 3 rue de Paris, 97400 Saint-Denis.',
  'Rappel: RDV au CMS de Fort-de-France, Martinique, le 5/12 à 15h.',
  'RDV à Saint-Pierre-et-Miquelon, place du Général-de-Gaulle, 97500 Saint-Pierre.',
  'RDV avec Mme Hélène Lefèvre-Nguyễn, puéricultrice.',
  'RDV pour Chloé, Zoé et Noël le jeu. 3/12 à 14h30.',
  'RDV pour Anaïs et Maël : pensez au carnet de santé.',
  'RDV pour Françoise et François le 2/12.',
  'Rappel : RDV pour Jérôme Bœuf, 14 avenue de l’Œuvre, 75014 Paris.',
  'Rendez-vous confirmé pour Ægir Sørensen à Ålborg.',
  'Señora Núñez, su cita está confirmada.',
  'Rappel : RDV à Pointe-à-Pitre, immeuble Cœur de ville, 2e étage.',
  'RDV à L’Haÿ-les-Roses, 5 rue Jean-Jaurès.',
  'Centre d’action médico-sociale précoce (CAMSP) – entrée B – 1er étage',
  'Attention… le centre ferme à 17h.',
  'Merci de vous présenter 10 min avant l’heure du RDV.',
  `Votre créneau${NBSP}: jeudi 10${NNBSP}décembre, 14${NBSP}h.`,
  'Le prix du ticket est 1,50 € (remboursé).',
  'Tarif : 2 € — gratuit pour les moins de 18 ans.',
  'Code d’accès {4521} puis [porte 2] ~ au fond.',
  'Infos : rdv.creneau.fr/r/abc | 01 64 00 00 01',
  'Âge minimum : 3 ans. Être accompagné d’un adulte.',
  'Île-de-France, Hauts-de-Seine : RDV à Châtenay-Malabry.',
  'RDV à Saint-Barthélemy, Gustavia.',
  'RDV à Saint-Martin, Marigot, rue de Hollande.',
  'RDV à Cayenne, 1 avenue du Général-de-Gaulle, 97300 Cayenne.',
  'RDV à Kourou : apportez votre pièce d’identité.',
  'RDV à Dzaoudzi-Labattoir (Petite-Terre).',
  'Votre RDV a été déplacé au mar. 15/12 à 10h15.',
  'Un créneau plus tôt s’est libéré : mer. 2/12 à 9h. Pour le prendre : rdv.creneau.fr/r/Zk3v',
  'N° de dossier : 12345 ; référence “ABC”.',
  'Soyez à l’heure ! Merci 😊',
  'Rendez-vous 👶 PMI demain à 9h à la crèche « Les Petits Loups ».',
  `${'Un très long message de la PMI de Seine-et-Marne, pour vérifier la découpe en plusieurs segments. '.repeat(4)}Fin.`,
  `${'Message très long avec l’apostrophe typographique, qui passe donc en UCS-2. '.repeat(3)}Fin.`,
  'Accolades {} et crochets [] comptent double, euro € aussi. '.repeat(4),
  `${'a'.repeat(152)}€`,
  `${'a'.repeat(159)}€`,
  'a'.repeat(160),
  'a'.repeat(161),
  'a'.repeat(306),
  'a'.repeat(307),
  `${'é'.repeat(69)}’`,
  `${'é'.repeat(70)}’`,
  `${'é'.repeat(66)}😊${'é'.repeat(10)}`,
  '',
];

describe('GSM-7 normalisation', () => {
  it('writes the French typography that switches an SMS to UCS-2 with GSM-7 characters', () => {
    expect(toGsm7('L’équipe « PMI »\u00A0: rendez-vous — mardi… Cœur, Œuvre')).toBe('L\'équipe "PMI" : rendez-vous - mardi... Coeur, OEuvre');
    expect(toGsm7('“guillemets” ‘simples’ 14\u202Fh\u202F30 1–2')).toBe('"guillemets" \'simples\' 14 h 30 1-2');
  });

  it('keeps the accented letters GSM-7 has, folds the others (ç has no lowercase in GSM-7)', () => {
    expect(toGsm7('é è ù ì ò à É Ç Ä Ö Ñ Ü ä ö ñ ü ß Å å Æ æ Ø ø')).toBe('é è ù ì ò à É Ç Ä Ö Ñ Ü ä ö ñ ü ß Å å Æ æ Ø ø');
    expect(toGsm7('â ê î ô û ë ï ÿ ç À È Ê Î Ô Û Ë Ï Ù Â ã õ á í ó ú')).toBe('a e i o u e i y c A E E I O U E I U A a o a i o u');
    expect(toGsm7('François, Anaïs, Maël, Jérôme, Nguyễn, Łukasz')).toBe('Francois, Anais, Mael, Jérome, Nguyen, Lukasz');
  });

  it('folds decomposed accents as their composed form', () => {
    expect(toGsm7('e\u0301te\u0301 c\u0327a')).toBe('été ca');
  });

  it('keeps the extension table (it counts double) and writes one LF per line break', () => {
    expect(toGsm7('1 € [a] {b} ~ | ^ \\')).toBe('1 € [a] {b} ~ | ^ \\');
    expect(toGsm7('a\r\nb\rc\u2028d')).toBe('a\nb\nc\nd');
  });

  it('drops invisible characters and marks what it cannot write with ?', () => {
    expect(toGsm7('a\u200Bb\u00ADc\u2060d\uFEFF\u0007')).toBe('abcd');
    expect(toGsm7('Merci 😊 北京')).toBe('Merci ? ??');
  });

  it('always outputs GSM-7, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(isGsm7(toGsm7(text))).toBe(true);
      }),
    );
  });

  it('is idempotent', () => {
    const french = fc.string({ unit: fc.constantFrom(...'aeçéèêàâœŒ’‘“”«» \u00A0\u202F\t\r\n—–…€[]{}ÇÉÀÈÅØ😊'.split('')) });
    fc.assert(
      fc.property(fc.oneof(french, fc.string({ unit: 'binary' })), (text) => {
        const once = toGsm7(text);
        expect(toGsm7(once)).toBe(once);
      }),
    );
  });

  it('leaves GSM-7 text as it is (apart from CR and form feed)', () => {
    const gsm = fc.string({ unit: fc.constantFrom(...'@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà^{}\\[~]|€'.split('')) });
    fc.assert(
      fc.property(gsm, (text) => {
        expect(toGsm7(text)).toBe(text);
      }),
    );
  });
});

describe('segment counting', () => {
  it('has the same alphabet as the independent calculator (Latin, Greek, punctuation, symbols)', () => {
    for (let code = 0; code < 0x3000; code += 1) {
      const character = String.fromCharCode(code);
      expect([character, isGsm7(character)]).toEqual([character, reference(character).encoding === 'GSM-7']);
    }
  });

  it('counts 160/153 septets in GSM-7 with extension characters counting 2, never splitting an escape pair', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(countSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', units: 307, segments: 3 });
    expect(countSegments(`${'a'.repeat(159)}€`)).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments(`${'a'.repeat(158)}€`)).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    // 152 + € (2) does not fit in the first 153-septet part: the pair moves whole to the second
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(153)}`)).toEqual({ encoding: 'GSM-7', units: 307, segments: 3 });
  });

  it('counts 70/67 UTF-16 units in UCS-2, a character outside the BMP counting 2 and never split', () => {
    expect(countSegments('’'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments('’'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(countSegments(`${'’'.repeat(66)}😊${'’'.repeat(66)}`)).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
    expect(countSegments('😊'.repeat(35))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
  });

  it(`agrees with the independent calculator on a corpus of ${String(CORPUS.length)} French messages, raw and normalised`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    for (const text of CORPUS) {
      const ours = countSegments(text);
      expect({ text, encoding: ours.encoding, segments: ours.segments }).toEqual({ text, ...reference(text) });
      const normalised = toGsm7(text);
      const oursNormalised = countSegments(normalised);
      expect({ normalised, encoding: oursNormalised.encoding, segments: oursNormalised.segments }).toEqual({ normalised, ...reference(normalised) });
      expect(oursNormalised.encoding).toBe('GSM-7');
    }
  });

  it('turns a reminder that typography made UCS-2 (3 segments) into one GSM-7 segment', () => {
    const typographic = `Rappel${NBSP}: RDV PMI jeudi 3/12 à 14h30, Maison de l’enfance de Mamoudzou.\nInfos et annulation${NBSP}: ${LINK}`;
    expect(countSegments(typographic)).toMatchObject({ encoding: 'UCS-2', segments: 3 });
    expect(countSegments(toGsm7(typographic))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('agrees with the independent calculator on random GSM-7 and French texts', () => {
    const gsmHeavy = fc.string({ unit: fc.constantFrom(...'ab é€[]{}\n'.split('')), maxLength: 400 });
    const ucs = fc.string({ unit: fc.constantFrom(...'ab é’«€'.split('')), maxLength: 300 });
    fc.assert(
      fc.property(fc.oneof(gsmHeavy, ucs), (text) => {
        const ours = countSegments(text);
        expect({ encoding: ours.encoding, segments: ours.segments }).toEqual(reference(text));
      }),
    );
  });
});
