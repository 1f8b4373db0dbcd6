import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The longest search text a list takes. */
const MAX_SEARCH = 100;

/**
 * `q` of a list: optional text, trimmed and composed (NFC, as names are stored), at most 100
 * characters, found anywhere in what `what` names, case-insensitively.
 */
export function SearchText(what: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: `Searches ${what}, case-insensitively, anywhere in the text.`,
      maxLength: MAX_SEARCH,
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().normalize('NFC') : value,
    ),
    IsString(),
    MaxLength(MAX_SEARCH),
  );
}
