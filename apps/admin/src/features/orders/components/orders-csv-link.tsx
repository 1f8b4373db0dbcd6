import { CsvDownloadButton } from '@/components/csv-download-button';
import { isoDate } from '@/lib/dates';
import { type OrderFilter, orderParams } from '../api/orders-api';

/** The orders the page's filters show (every page of them), as a spreadsheet. */
export function OrdersCsvLink({ filter }: { filter: OrderFilter }) {
  return (
    <CsvDownloadButton
      path="/admin/orders.csv"
      params={orderParams(filter)}
      fallbackName={`orders-${isoDate(new Date())}.csv`}
    />
  );
}
