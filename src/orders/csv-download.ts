import { Readable, pipeline } from 'node:stream';
import { type Options, stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';

/** A CSV file to send: its name, its columns (in order: the header row) and its records. */
export interface CsvDownload<T extends object> {
  readonly filename: string;
  readonly columns: readonly (keyof T & string)[];
  /** Read as the client takes them: an async iterable is pulled one record at a time. */
  readonly records: AsyncIterable<T> | Iterable<T>;
}

/**
 * The options every CSV of the API is written with:
 *
 * - RFC 4180: a header row, fields separated by commas, records by CRLF; a field holding a comma,
 *   a double quote, CR or LF is put in double quotes, its double quotes doubled. csv-stringify
 *   stops quoting lone CR and LF once `record_delimiter` is given (`quote_record_delimiter`
 *   then defaults to false), so that is switched back on: a note written on two lines stays one
 *   field.
 * - `escape_formulas`: a text field starting with `=`, `+`, `-`, `@`, a tab or CR (or their
 *   full-width forms) gets a leading `'`, so a spreadsheet shows a customer's `=HYPERLINK(…)`
 *   as text instead of running it (CSV injection). Numbers are written as they are.
 *   A formula after leading blanks (` =1+1`) is prefixed the same way, as a spreadsheet that trims
 *   cells would run it.
 * - A text field holding a semicolon is quoted too: Excel in locales whose list separator is `;`
 *   (German, French…) splits unquoted CSV fields on it, so `x;=cmd|…` would become a cell of its
 *   own starting with `=`; a quoted field stays whole.
 * - A UTF-8 byte order mark first, so Excel reads `×` and accented names as UTF-8.
 */
const CSV_OPTIONS: Options = {
  header: true,
  bom: true,
  delimiter: ',',
  quote: '"',
  escape: '"',
  record_delimiter: '\r\n',
  quote_record_delimiter: true,
  escape_formulas: true,
  quoted_match: [/;/],
  cast: {
    string: (value) => (/^\s+[=+\-@\t\r]/.test(value) ? `'${value}` : value),
  },
};

/**
 * `records` as CSV text, produced as fast as whoever reads it takes it: the stringifier's buffer
 * fills, then the records are no longer pulled. Destroying the returned stream (a client that
 * went away) destroys the source too, which ends an async generator's loop at its next `yield`.
 */
function csvStream<T extends object>(download: CsvDownload<T>): Readable {
  const stringifier = stringify({ ...CSV_OPTIONS, columns: [...download.columns] });
  // Errors (a client gone, a failed read) reach whoever reads the stringifier: Fastify ends the
  // response there, cut short, and logs a failure that is not the client's leaving.
  pipeline(Readable.from(download.records), stringifier, () => undefined);
  return stringifier;
}

/**
 * Sends `download` as an attachment: `text/csv; charset=utf-8`, named in Content-Disposition,
 * streamed (chunked). Call it only once the request is known to be good: everything that can
 * be answered with a JSON error must have been checked before, as nothing can be after the first
 * byte: a failure after it breaks the response off (no final chunk), so a client sees an
 * incomplete transfer, never a file that looks whole. A HEAD request gets the headers alone, and
 * reads no further.
 */
export function sendCsv<T extends object>(reply: FastifyReply, download: CsvDownload<T>): void {
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${download.filename}"`);
  if (reply.request.method === 'HEAD') {
    void reply.send();
    return;
  }
  void reply.send(csvStream(download));
}
