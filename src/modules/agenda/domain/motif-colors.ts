// Motif colours without inline styles (the CSP allows stylesheets from 'self' only): each
// organisation gets a small stylesheet with one class per motif, `.agenda-motif-<id>`, setting a
// custom property the agenda's CSS uses for the event's stripe and swatch.

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** Whether a stored colour is a plain `#rrggbb` (anything else is left out of the stylesheet). */
export function isSafeColor(color: string): boolean {
  return COLOR.test(color);
}

/** The class of a motif's colour. */
export function motifColorClass(motifId: number): string {
  return `agenda-motif-${String(motifId)}`;
}

/** The stylesheet of the motifs' colours: one rule per motif with a valid colour. */
export function motifStylesheet(motifs: readonly { id: number; color: string }[]): string {
  const rules = motifs.filter((motif) => isSafeColor(motif.color)).map((motif) => `.${motifColorClass(motif.id)}{--agenda-motif-color:${motif.color.toLowerCase()}}`);
  return `/* Couleurs des motifs (générées) */\n${rules.join('\n')}\n`;
}
