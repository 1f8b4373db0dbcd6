import type { ApiTokenViewDto, CreatedApiTokenDto } from './dto/api-token.dto.js';
import type { ApiTokenEntity } from './entities/api-token.entity.js';

/** A token row as its owner sees it: never the hash. */
export function toApiTokenView(row: ApiTokenEntity): ApiTokenViewDto {
  return {
    id: row.id,
    name: row.name,
    scopes: [...row.scopes],
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** A new token's row and the token itself, shown this once. */
export function toCreatedApiTokenView(row: ApiTokenEntity, token: string): CreatedApiTokenDto {
  const view = toApiTokenView(row);
  return {
    id: view.id,
    name: view.name,
    scopes: view.scopes,
    createdAt: view.createdAt,
    expiresAt: view.expiresAt,
    lastUsedAt: view.lastUsedAt,
    token,
  };
}
