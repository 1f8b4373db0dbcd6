import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { FieldError } from '../common/validation.js';
import { FIRST_DAY, addDays, businessDay, daysBetween, isCalendarDate } from './business-day.js';
import type { ReportRangeQueryDto } from './dto/report-range.dto.js';

/** The longest range one report covers. */
const MAX_REPORT_DAYS = 366;

/** Business days (`YYYY-MM-DD` in VENUE_TIMEZONE), both included. */
export interface ReportRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The business days a report covers, the same for every report and export: `to` defaults to
 * today in `timeZone`, `from` to six days before `to` (a week). Both must be real calendar days,
 * `to` not before `from`, at most {@link MAX_REPORT_DAYS} days in all; otherwise
 * `VALIDATION_FAILED` naming the field, thrown before anything is read or written.
 */
export function reportRange(query: ReportRangeQueryDto, timeZone: string): ReportRange {
  const to = query.to ?? businessDay(new Date(), timeZone);
  // A default never reaches before the first day, so an early `to` is not blamed on `from`; and
  // is not worked out from a `to` that is no date (month 13 cannot be counted back from).
  const from =
    query.from ??
    (isCalendarDate(to)
      ? [addDays(to, -6), FIRST_DAY].reduce((a, b) => (a > b ? a : b))
      : FIRST_DAY);
  const problems: FieldError[] = [];
  if (!isCalendarDate(from))
    problems.push({ field: 'from', errors: ['from is not a calendar date'] });
  if (!isCalendarDate(to)) problems.push({ field: 'to', errors: ['to is not a calendar date'] });
  if (problems.length === 0) {
    const span = daysBetween(from, to);
    if (span < 0) problems.push({ field: 'to', errors: ['to must not be before from'] });
    else if (span >= MAX_REPORT_DAYS) {
      problems.push({ field: 'to', errors: [`a report covers at most ${MAX_REPORT_DAYS} days`] });
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      problems.flatMap((problem) => problem.errors).join('; '),
      problems,
    );
  }
  return { from, to };
}
