import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AuthContext } from './auth-context.js';
import { TokenService } from './token.service.js';

export const JWT_STRATEGY = 'jwt';

/**
 * Verifies bearer access tokens with passport-jwt: only our key id and algorithm, our issuer and
 * audience; headers that point at other keys (`jku`, `x5u`, `jwk`, …) are refused outright.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(private readonly tokens: TokenService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ...tokens.verifyOptions(),
      secretOrKeyProvider: (
        _request: unknown,
        rawJwtToken: string,
        done: (error: unknown, key?: string | Buffer) => void,
      ) => {
        if (!tokens.acceptsHeader(rawJwtToken)) {
          done(new AppError(ErrorCode.TOKEN_INVALID));
          return;
        }
        // jsonwebtoken takes a KeyObject; the typings only know strings and buffers.
        done(null, tokens.key as unknown as Buffer);
      },
    });
  }

  validate(payload: unknown): AuthContext {
    const context = this.tokens.contextOf(payload);
    if (!context) throw new AppError(ErrorCode.TOKEN_INVALID);
    return context;
  }
}
