import { Module } from '@nestjs/common';
import { MenuModule } from '../menu/menu.module.js';
import { UsersModule } from '../users/users.module.js';
import { DemoSeedService } from './demo-seed.service.js';

@Module({
  imports: [UsersModule, MenuModule],
  providers: [DemoSeedService],
})
export class DemoModule {}
