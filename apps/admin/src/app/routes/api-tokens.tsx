import { ApiTokensAdmin } from '@/features/api-tokens/components/api-tokens-admin';

export default function ApiTokensRoute() {
  return <ApiTokensAdmin />;
}
