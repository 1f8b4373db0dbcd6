import { QrSheet, type SheetLayout } from '@/features/tables/components/qr-sheet';
import { useSearchParams } from 'react-router';

/** `/tables/print?layout=a4|labels&table=N`: the layout and the table live in the address. */
export default function TablesPrintRoute() {
  const [params, setParams] = useSearchParams();
  const layout: SheetLayout = params.get('layout') === 'labels' ? 'labels' : 'a4';
  const table = Number(params.get('table'));
  return (
    <QrSheet
      layout={layout}
      only={Number.isInteger(table) && table >= 1 ? table : null}
      onLayoutChange={(next) => {
        setParams(
          (current) => {
            current.set('layout', next);
            return current;
          },
          { replace: true },
        );
      }}
    />
  );
}
