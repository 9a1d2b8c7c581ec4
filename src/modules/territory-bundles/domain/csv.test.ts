import { describe, expect, it } from 'vitest';
import { CsvStreamParser, detectSeparator, parseCsv, writeCsv, type CsvRecord } from './csv.js';

describe('CSV of French spreadsheets', () => {
  it('reads `;`-separated cells, skips a BOM and blank lines, and numbers records by their first physical line', () => {
    const parsed = parseCsv('\uFEFFa;b\r\n1;2\r\n\r\n"trois\nlignes";4\n5;6\n');
    expect(parsed).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['1', '2'] },
        { line: 4, cells: ['trois\nlignes', '4'] },
        { line: 6, cells: ['5', '6'] },
      ],
    });
  });

  it('reads `,` when the header uses it and has no `;`', () => {
    expect(detectSeparator('a,b\n1;2')).toBe(',');
    expect(detectSeparator('a;b,c\n')).toBe(';');
    expect(parseCsv('a,b\n"x, y",2')).toEqual({ ok: true, records: [{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['x, y', '2'] }] });
  });

  it('unescapes doubled quotes and keeps an empty quoted cell', () => {
    expect(parseCsv('a;b\n"il dit ""oui""";""')).toEqual({ ok: true, records: [{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['il dit "oui"', ''] }] });
  });

  it('refuses a quote that is never closed, naming the line where the record starts', () => {
    expect(parseCsv('a;b\n1;2\n"ouvert;3\n4;5')).toEqual({ ok: false, line: 3, message: 'guillemet ouvrant sans guillemet fermant' });
  });

  it('writes a BOM, `;` and quotes only the cells that need them; what it writes reads back the same', () => {
    const rows = [['simple', 'a;b', 'dit "non"', 'deux\nlignes', ' espace', '']];
    const text = writeCsv(['x', 'y', 'z', 'w', 'v', 'u'], rows);
    expect(text).toBe('\uFEFFx;y;z;w;v;u\nsimple;"a;b";"dit ""non""";"deux\nlignes";" espace";\n');
    const parsed = parseCsv(text);
    expect(parsed.ok && parsed.records[1]?.cells).toEqual(rows[0]);
  });

  it('reads the same records when the text comes in chunks, cut anywhere (streamed zones.csv)', () => {
    const texts = ['\uFEFFa;b\r\n1;2\r\n\r\n"trois\r\nlignes";4\n"il dit ""oui""";""\n5;6', 'a,b\n"x, y",2\n', 'a;b\n1;2\n"ouvert;3\n4;5'];
    for (const text of texts) {
      const whole = parseCsv(text);
      for (let size = 1; size <= text.length; size += 1) {
        const parser = new CsvStreamParser();
        const records: CsvRecord[] = [];
        for (let start = 0; start < text.length; start += size) records.push(...parser.push(text.slice(start, start + size)));
        const last = parser.end();
        expect(last.ok ? { ok: true, records: [...records, ...last.records] } : last).toEqual(whole);
      }
    }
  });
});
