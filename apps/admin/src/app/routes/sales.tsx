import { SalesReportView } from '@/features/reports/components/sales-report-view';

export default function SalesReportViewRoute() {
  return <SalesReportView />;
}
