import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { lowerCaseId } from '../../common/ids.js';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { IsAccountEmail } from './account-email.js';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';
import { PageQueryDto } from '../../common/pagination.js';
import { OptionalNotNull } from '../../common/optional-not-null.js';
import { SearchText } from '../../common/search-text.js';
import { ACCOUNT_ROLES, type AccountRole, ROLES, type Role } from '../role.js';
import { IsPersonName } from './person-name.js';
import { PageTotalDto } from '../../common/pagination.js';

const PASSWORD_RULES =
  'At least 15 characters for staff (bartender, admin), 10 for customers, at most 128, and not one of the commonly used passwords.';

export class AdminUserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @SearchText('email and name')
  q?: string;
}

export class UserIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @Transform(lowerCaseId)
  @IsUUID()
  id!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'sam@bar.example', maxLength: 254 })
  @IsAccountEmail()
  email!: string;

  @ApiProperty({ example: 'Sam', minLength: 1, maxLength: 100 })
  @IsPersonName()
  name!: string;

  @ApiProperty({
    enum: ACCOUNT_ROLES,
    enumName: 'AccountRole',
    example: 'bartender',
    description: 'Not `guest`: guests come only from a table’s QR code.',
  })
  @IsIn(ACCOUNT_ROLES)
  role!: AccountRole;

  @ApiProperty({ minLength: 10, maxLength: PASSWORD_MAX_LENGTH, description: PASSWORD_RULES })
  @IsString()
  password!: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @OptionalNotNull()
  @IsPersonName()
  name?: string;

  @ApiPropertyOptional({
    enum: ACCOUNT_ROLES,
    enumName: 'AccountRole',
    description:
      'A change ends all of the user’s sessions (reason role_changed). Not `guest`, and a ' +
      'guest’s role cannot be changed: a guest becomes a customer only by upgrading itself.',
  })
  @OptionalNotNull()
  @IsIn(ACCOUNT_ROLES)
  role?: AccountRole;

  @ApiPropertyOptional({
    description: 'false deactivates the user and ends all of their sessions (reason deactivated).',
  })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    minLength: 10,
    maxLength: PASSWORD_MAX_LENGTH,
    description: `${PASSWORD_RULES} Ends all of the user’s sessions (reason password_changed).`,
  })
  @OptionalNotNull()
  @IsString()
  password?: string;
}

/** A user as the admin console sees it. */
export class AdminUserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'sam@bar.example',
    description: 'Null for a guest.',
  })
  email!: string | null;

  @ApiProperty({ example: 'Sam' })
  name!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role!: Role;

  @ApiProperty({ type: Number, nullable: true, description: "A guest's table; null for others." })
  tableNumber!: number | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({
    description:
      'Whether the user signs in with a code from an authenticator app after the password; ' +
      '`POST /api/admin/users/{id}/2fa/reset` turns it off.',
  })
  twoFactorEnabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

/** One page of the list; `total` exact up to 10,000. */
export class AdminUserPageDto extends PageTotalDto {
  @ApiProperty({ type: [AdminUserDto] })
  items!: AdminUserDto[];
}
