/**
 * Colour contrast as the WCAG 2.x (and the RGAA, criterion 3.2) define it: the ratio of the
 * relative luminances of two sRGB colours, from 1:1 to 21:1. Text needs 4.5:1 against its
 * background (3:1 from 24 px or 18.66 px bold).
 */

/** A colour written `#rrggbb`. */
export type HexColour = `#${string}`;

const HEX = /^#[0-9a-fA-F]{6}$/;

export function isHexColour(value: string): value is HexColour {
  return HEX.test(value);
}

function channels(colour: HexColour): [number, number, number] {
  if (!isHexColour(colour)) throw new RangeError(`not a #rrggbb colour: ${String(colour)}`);
  return [1, 3, 5].map((start) => Number.parseInt(colour.slice(start, start + 2), 16)) as [number, number, number];
}

function linear(channel: number): number {
  const value = channel / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(colour: HexColour): number {
  const [red, green, blue] = channels(colour).map(linear) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** The contrast ratio of two colours, ≥ 1, whichever is lighter. */
export function contrastRatio(first: HexColour, second: HexColour): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** `colour` mixed with `other` in sRGB: `weight` 0 keeps `colour`, 1 gives `other`. */
export function mix(colour: HexColour, other: HexColour, weight: number): HexColour {
  const from = channels(colour);
  const to = channels(other);
  const mixed = from.map((channel, index) => Math.round(channel + ((to[index] ?? channel) - channel) * weight));
  return `#${mixed.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}
