// Local calendar dates as integers ("day numbers": days since 1970-01-01) and times of day as
// minutes since midnight. Pure integer arithmetic: no Date, no machine zone, cheap in hot loops.

/** Days since 1970-01-01 of a calendar date (no zone attached: a wall-calendar day). */
export type DayNumber = number;

/** Minutes since local midnight (0..1440; 1440 is the "24:00" end of a day). */
export type MinuteOfDay = number;

/** Monday-first weekday: 0 = Monday … 6 = Sunday (ISO 8601 order). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const MINUTES_PER_DAY = 1440;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** Day number of a proleptic Gregorian date (month 1..12); H. Hinnant's days_from_civil. */
export function dayNumberFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Calendar fields of a day number (month 1..12); H. Hinnant's civil_from_days. */
export function civilFromDayNumber(dayNumber: DayNumber): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Whether a year is a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (month 1..12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses 'YYYY-MM-DD' into a day number, or null when malformed or not a real date. */
export function parseIsoDate(text: string): DayNumber | null {
  const match = ISO_DATE.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumberFromCivil(year, month, day);
}

/** Day number of a trusted 'YYYY-MM-DD' (from the database); throws on malformed input. */
export function isoDateToDayNumber(text: string): DayNumber {
  const dayNumber = parseIsoDate(text);
  if (dayNumber === null) throw new RangeError(`Invalid ISO date: ${text}`);
  return dayNumber;
}

/** Formats a day number as 'YYYY-MM-DD'. */
export function dayNumberToIsoDate(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Monday-first weekday (0 = Monday … 6 = Sunday) of a day number. */
export function weekdayOf(dayNumber: DayNumber): Weekday {
  // 1970-01-01 was a Thursday (3 in Monday-first numbering).
  return ((((dayNumber + 3) % 7) + 7) % 7) as Weekday;
}

/** Adds (or subtracts) whole days. */
export function addDays(dayNumber: DayNumber, days: number): DayNumber {
  return dayNumber + days;
}

/** Adds whole months, clamping the day to the end of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(dayNumber: DayNumber, months: number): DayNumber {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  const monthIndex = year * 12 + (month - 1) + months;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = monthIndex - newYear * 12 + 1;
  return dayNumberFromCivil(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/** Adds days to a 'YYYY-MM-DD' date, returning 'YYYY-MM-DD'. */
export function addDaysToIsoDate(isoDate: string, days: number): string {
  return dayNumberToIsoDate(isoDateToDayNumber(isoDate) + days);
}

/** Parses 'HH:MM' or 'HH:MM:SS' (as returned by Postgres `time`) into minutes; null when malformed. */
export function parseTimeOfDay(text: string): MinuteOfDay | null {
  const match = TIME_OF_DAY.exec(text);
  if (match === null) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = match[3] === undefined ? 0 : Number(match[3]);
  if (minutes > 59 || seconds > 59) return null;
  // Postgres accepts 24:00:00 as the end of a day; nothing later.
  if (hours > 24 || (hours === 24 && (minutes !== 0 || seconds !== 0))) return null;
  // Seconds are dropped: every schedule in the product is minute-grained.
  return hours * 60 + minutes;
}

/** Minutes of a trusted time of day; throws on malformed input. */
export function timeOfDayToMinutes(text: string): MinuteOfDay {
  const minutes = parseTimeOfDay(text);
  if (minutes === null) throw new RangeError(`Invalid time of day: ${text}`);
  return minutes;
}

/** Formats minutes since midnight as 'HH:MM'. */
export function formatTimeOfDay(minuteOfDay: MinuteOfDay): string {
  const hours = Math.floor(minuteOfDay / 60);
  const minutes = minuteOfDay - hours * 60;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}
