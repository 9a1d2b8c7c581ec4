import { describe, expect, it } from 'vitest';
import { h } from './jsx.js';
import { Breadcrumb } from './page-parts.js';
import { Table } from './tables.js';

describe('Table', () => {
  const row = (item: { name: string }) => (
    <tr>
      <td>{item.name}</td>
    </tr>
  );

  it('draws the caption, one header cell per column and one body row per item, escaped', () => {
    const html = Table({ caption: 'Agents & rôles', columns: ['Nom', 'Action'], rows: [{ name: '<b>Jo</b>' }], row });
    expect(html.value).toBe(
      '<div class="fr-table"><table><caption>Agents &amp; rôles</caption><thead><tr><th scope="col">Nom</th><th scope="col">Action</th></tr></thead><tbody><tr><td>&lt;b&gt;Jo&lt;/b&gt;</td></tr></tbody></table></div>',
    );
  });

  it('shows the empty message instead of the table when there are no rows, and the empty table without one', () => {
    expect(Table({ caption: 'c', columns: ['Nom'], rows: [], row, empty: 'Aucun agent.' }).value).toBe('<p>Aucun agent.</p>');
    expect(Table({ caption: 'c', columns: ['Nom'], rows: [], row, class: 'fr-table fr-mt-3w' }).value).toBe(
      '<div class="fr-table fr-mt-3w"><table><caption>c</caption><thead><tr><th scope="col">Nom</th></tr></thead><tbody></tbody></table></div>',
    );
  });
});

describe('Breadcrumb', () => {
  it('links the pages above and marks the current one, which is not a link', () => {
    const html = Breadcrumb({ links: [{ label: 'Territoire', href: '/t/1' }], current: 'Sectorisation' });
    expect(html.value).toBe(
      '<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :"><ol class="fr-breadcrumb__list"><li><a class="fr-breadcrumb__link" href="/t/1">Territoire</a></li><li><a class="fr-breadcrumb__link" aria-current="page">Sectorisation</a></li></ol></nav>',
    );
  });
});
