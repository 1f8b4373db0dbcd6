import { Anchor } from '@mantine/core';
import { EmptyState } from '@taproom/web-core/ui/page-states';
import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <EmptyState title="Page not found">
      <Anchor component={Link} to="/">
        Back to the dashboard
      </Anchor>
    </EmptyState>
  );
}
