import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function fakeStream(isTTY: boolean): { isTTY: boolean; text: string; write: (chunk: string) => boolean } {
  const stream = {
    isTTY,
    text: '',
    write(chunk: string): boolean {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

describe('import progress on stderr', () => {
  it('draws a bar redrawn in place on a terminal, once per percent, and ends the line', () => {
    const stream = fakeStream(true);
    const progress = createProgress(stream);
    progress.phase('zones', 1000);
    for (let i = 0; i < 1000; i += 1) progress.advance(1);
    progress.done();
    expect(stream.text).toContain('\r[###############...............]  50 % zones');
    expect(stream.text).toContain('\r[##############################] 100 % zones');
    expect(stream.text.split('\r').length).toBe(102);
    expect(stream.text.endsWith('\n')).toBe(true);
  });

  it('writes one plain line per phase elsewhere (CI logs), without carriage returns', () => {
    const stream = fakeStream(false);
    const progress = createProgress(stream);
    progress.phase('lieux et motifs', 52);
    progress.advance(52);
    progress.phase('secteurs et zones', 526);
    progress.advance(526);
    progress.done();
    expect(stream.text).toBe('… lieux et motifs (52)\n… secteurs et zones (526)\n');
  });
});
