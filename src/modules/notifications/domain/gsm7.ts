// GSM-7 normalisation and segment counting (owned by the "sms text" helper; see research/ecosystem.md §5.2).

export interface SegmentCount {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  readonly units: number;
  readonly segments: number;
}

/** Rewrites a French text so that it is GSM-7 only (quotes, apostrophes, NBSP, accents outside GSM-7). */
export function toGsm7(text: string): string {
  throw new Error(`toGsm7 is not written yet (${String(text.length)})`);
}

/** Segments a provider will bill for this text (160/153 in GSM-7, 70/67 in UCS-2). */
export function countSegments(text: string): SegmentCount {
  throw new Error(`countSegments is not written yet (${String(text.length)})`);
}
