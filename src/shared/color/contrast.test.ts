import { describe, expect, it } from 'vitest';
import { contrastRatio, isHexColour, mix, relativeLuminance } from './contrast.js';

describe('colour contrast (WCAG 2.x)', () => {
  it('gives the extremes for black and white, whatever the order', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
  });

  it('matches the commonly cited ratios: #767676 and #595959 on white, and #777 that fails', () => {
    // #767676 on white: 4.54:1, the lightest grey for normal text; #595959: 7:1 (level AAA).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#595959', '#ffffff')).toBeCloseTo(7.0, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it('mixes two colours, and tells a colour from anything else', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(mix('#123456', '#ffffff', 0)).toBe('#123456');
    expect(mix('#123456', '#000000', 1)).toBe('#000000');
    expect(isHexColour('#0a0B0c')).toBe(true);
    for (const value of ['0a0b0c', '#abc', '#0a0b0cz', 'red', '#0a0b0c ']) expect(isHexColour(value)).toBe(false);
  });
});
