import { describe, expect, it } from 'vitest';
import { checkOrganisationForm, type OrganisationFormInput } from './organisation-form.js';

const valid: OrganisationFormInput = { nom: 'MDS de Melun', telephone: '01 64 87 00 00', email: 'Accueil@Melun.fr', siteWeb: 'https://www.seine-et-marne.fr', lienPublic: 'mds-melun', identifiantExterne: 'MDS-77-01' };

describe('organisation form rules', () => {
  it('accepts well-formed details', () => {
    expect(checkOrganisationForm(valid)).toEqual({
      ok: true,
      value: { name: 'MDS de Melun', phoneNumber: '01 64 87 00 00', email: 'accueil@melun.fr', website: 'https://www.seine-et-marne.fr', slug: 'mds-melun', externalId: 'MDS-77-01' },
    });
    expect(checkOrganisationForm({ ...valid, telephone: '', email: '', siteWeb: '', identifiantExterne: '' })).toEqual({
      ok: true,
      value: { name: 'MDS de Melun', phoneNumber: null, email: null, website: null, slug: 'mds-melun', externalId: null },
    });
  });

  it('refuses each bad field with a French message', () => {
    const result = checkOrganisationForm({ nom: '', telephone: '12', email: 'nope', siteWeb: 'javascript:alert(1)', lienPublic: 'MDS Melun', identifiantExterne: 'a b' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['email', 'identifiantExterne', 'lienPublic', 'nom', 'siteWeb', 'telephone']);
    expect(result.errors.lienPublic).toContain('lettres minuscules');
  });

  it('wants a slug of lowercase letters, digits and single hyphens', () => {
    for (const slug of ['ab', '-mds', 'mds-', 'mds--melun', 'mds_melun', 'mdé', 'x'.repeat(101)]) expect(checkOrganisationForm({ ...valid, lienPublic: slug }).ok, slug).toBe(false);
    for (const slug of ['mds', 'mds-melun-2', '974-saint-denis']) expect(checkOrganisationForm({ ...valid, lienPublic: slug }).ok, slug).toBe(true);
  });

  it('refuses control characters and over-long names', () => {
    expect(checkOrganisationForm({ ...valid, nom: 'MDS\nMelun' }).ok).toBe(false);
    expect(checkOrganisationForm({ ...valid, nom: 'x'.repeat(201) }).ok).toBe(false);
    expect(checkOrganisationForm({ ...valid, siteWeb: 'https://user:pw@example.fr' }).ok).toBe(false);
  });
});
