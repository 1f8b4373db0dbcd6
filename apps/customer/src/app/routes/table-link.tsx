import { Anchor, Stack, Text } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useEffect, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { openTableLink, type TableLinkOutcome } from '@/lib/table-link';

/** `/t/<token>`, what a table's QR code opens: sits the person down and shows the menu. */
export default function TableLinkRoute() {
  const { token = '' } = useParams();
  const [outcome, setOutcome] = useState<TableLinkOutcome | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    void openTableLink(token).then((result) => {
      if (current) setOutcome(result);
    });
    return () => {
      current = false;
    };
  }, [token, attempt]);

  if (outcome === null) return <LoadingState label="Finding your table…" />;
  switch (outcome.kind) {
    case 'seated':
      // The token leaves the address bar (and the history): the table is in the cart now.
      return <Navigate to="/" replace state={{ seatedAt: outcome.tableNumber }} />;
    case 'unknown':
      return (
        <EmptyState title="This table's code doesn't work any more">
          <Stack gap="xs" align="center">
            <Text ta="center">
              The bar may have printed a new one. Ask a member of staff, or order at the bar.
            </Text>
            <Anchor component={Link} to="/">
              See the menu
            </Anchor>
          </Stack>
        </EmptyState>
      );
    case 'failed':
      return (
        <ErrorState
          title="Could not open the table"
          message={outcome.message}
          onRetry={() => {
            setOutcome(null);
            setAttempt((n) => n + 1);
          }}
        />
      );
  }
}
