import { describe, expect, it } from 'vitest';
import { jobErrorMessage, MAX_SHOWN_ERROR_LENGTH, redactJobError } from './job-errors.js';

describe('job errors shown to super admins', () => {
  it('removes e-mail addresses, phone numbers, long numbers and quoted values', () => {
    expect(redactJobError('Refus pour "Camille Durand" <camille@exemple.fr> (+33 6 12 34 56 78), dossier 123456789012')).toBe(
      'Refus pour [valeur] <[adresse]> ([numéro]), dossier [numéro]',
    );
    expect(redactJobError('relation « Nom » introuvable')).toBe('relation [valeur] introuvable');
  });

  it('keeps short technical numbers and bounds the length', () => {
    expect(redactJobError('timeout after 5000 ms on port 587')).toBe('timeout after 5000 ms on port 587');
    expect(redactJobError('x '.repeat(500))).toHaveLength(MAX_SHOWN_ERROR_LENGTH);
  });

  it('reads pg-boss outputs of any shape', () => {
    expect(jobErrorMessage({ message: 'échec\nligne 2', stack: 'secret stack' })).toBe('échec ligne 2');
    expect(jobErrorMessage('texte')).toBe('texte');
    expect(jobErrorMessage(null)).toBe('Erreur sans message');
  });
});
