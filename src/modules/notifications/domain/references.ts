// References of delivery attempts, given to SMS providers and quoted back by their delivery reports.

/** Our reference for one attempt, given to SMS providers and quoted back by delivery reports. */
export function attemptReference(notificationId: number, attempt: number): string {
  return `n${String(notificationId)}a${String(attempt)}`;
}

/** The notification id inside a reference, or null for a reference that is not ours. */
export function notificationIdOfReference(reference: string): number | null {
  const match = /^n([1-9]\d{0,15})a[1-9]\d{0,5}$/.exec(reference);
  if (match?.[1] === undefined) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? id : null;
}
