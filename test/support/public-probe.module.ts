import { Controller, Get, Module } from '@nestjs/common';
import { Public } from '../../src/auth/auth.decorators.js';

/** A test-only public route: counts as an anonymous request whatever else the app guards. */
@Controller('public-probe')
class PublicProbeController {
  @Get()
  @Public()
  ping(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [PublicProbeController] })
export class PublicProbeModule {}
