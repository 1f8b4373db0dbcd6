import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountRecoveryHooks } from './account-recovery-hooks.js';
import { AdminAccessHooks } from './admin-access-hooks.js';
import { UserEntity } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  providers: [UsersService, PasswordHasher, AdminAccessHooks, AccountRecoveryHooks],
  exports: [UsersService, PasswordHasher, AdminAccessHooks, AccountRecoveryHooks],
})
export class UsersModule {}
