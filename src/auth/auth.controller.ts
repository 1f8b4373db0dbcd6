import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignInDto } from '../audit/dto/sign-in.dto.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { RegistrationLimitGuard } from '../rate-limit/registration-limit.guard.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { ACCOUNT_ROLES } from '../users/role.js';
import type { UserView } from '../users/user-view.js';
import type { AuthContext } from './auth-context.js';
import { LoginTwoFactorDto } from '../two-factor/dto/two-factor.dto.js';
import {
  CurrentAuth,
  DuringTwoFactorSetup,
  Public,
  Roles,
  SessionOnly,
} from './auth.decorators.js';
import { GuestAuthService } from './guest-auth.service.js';
import { AuthService } from './auth.service.js';
import type { IssuedTokens } from './issued-tokens.js';
import { bearerOf, clientOf } from './client-info.js';
import {
  ChangePasswordDto,
  GuestStartDto,
  GuestUpgradeDto,
  LoginDto,
  LogoutAllDto,
  LogoutDto,
  RefreshDto,
  RegisterDto,
} from './dto/auth-requests.dto.js';
import {
  MeResponseDto,
  TokenResponseDto,
  TotpRequiredErrorDto,
  UserResponseDto,
} from './dto/auth-responses.dto.js';
import { RefreshCookie } from './refresh-cookie.js';

const TOKEN_ERRORS = [ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED, ErrorCode.SESSION_REVOKED];

@ApiTags('auth')
@SessionOnly()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly guests: GuestAuthService,
    private readonly cookies: RefreshCookie,
  ) {}

  @Post('register')
  @Public()
  @UseGuards(RegistrationLimitGuard)
  @ApiOperation({ summary: 'Create a customer account' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.EMAIL_TAKEN, ErrorCode.RATE_LIMITED)
  register(@Body() dto: RegisterDto, @Req() request: FastifyRequest): Promise<{ user: UserView }> {
    return this.auth.register(dto, clientOf(request));
  }

  @Post('guest')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sit down at a table as a guest (from its QR link)',
    description:
      'Starts a guest session in the customer app: a new user of role `guest`, with no email ' +
      'or password, bound to the table (`user.tableNumber`); every order of theirs is for that ' +
      'table. The answer is the login answer; the refresh token goes to the `rt_customer` ' +
      'cookie (default) or, with `refreshTransport: "body"`, into the response. An unknown, ' +
      'rotated or deleted table’s token gets `404 TABLE_UNKNOWN`. At most ' +
      '`RATE_LIMIT_GUEST_IP` (default 30) new guests per `RATE_LIMIT_GUEST_WINDOW` (10 min) ' +
      'per IP, counted before anything else (`429` with `Retry-After`).',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.TABLE_UNKNOWN, ErrorCode.RATE_LIMITED)
  async guest(
    @Body() dto: GuestStartDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.deliver(reply, await this.guests.start(dto, clientOf(request)));
  }

  @Post('guest/upgrade')
  @Roles('guest')
  @UseGuards(RegistrationLimitGuard)
  @HttpCode(200)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'Turn the guest into a customer account, keeping its orders and session',
    description:
      'Guests only (others get `403 FORBIDDEN`). Fills in email, name and password in place: ' +
      'the same user id, so every order stays theirs, and the same session (same id, refresh ' +
      'token and deadlines), which refreshes as a customer session from now on. The answer ' +
      'is the login answer without a refresh token (it is unchanged, wherever it is kept) and ' +
      'with a new access token whose role is `customer`: use it from now on. The password ' +
      'follows the customer rules; an email in use gets `409 EMAIL_TAKEN` and the caller stays ' +
      'a guest. Counted like a registration (per IP).',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.FORBIDDEN,
    ErrorCode.EMAIL_TAKEN,
    ErrorCode.RATE_LIMITED,
    ...TOKEN_ERRORS,
  )
  upgradeGuest(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: GuestUpgradeDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenResponseDto> {
    return this.guests.upgrade(auth, dto, clientOf(request));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in to one app',
    description:
      'Starts a session. The refresh token goes to the `rt_<app>` cookie (default) or, with ' +
      '`refreshTransport: "body"`, into the response. The email is compared in its canonical ' +
      'form (NFKC, trimmed, lower-cased). A wrong password and an unknown email get the same ' +
      '`401 INVALID_CREDENTIALS`; only after the right password does the answer say more: ' +
      '`403 ACCOUNT_DISABLED` (a deactivated account: ask an admin) or `403 ROLE_NOT_ALLOWED`. ' +
      'A sign-in whose password check read the account before a password, role or activity ' +
      'change committed fails with `INVALID_CREDENTIALS`. Failed attempts are limited per ' +
      'email and IP, per IP and per account; each attempt is counted before the password is ' +
      'checked, so parallel guesses never get more than a limit checked (`429` with ' +
      '`Retry-After`). A user with two-factor sign-in who gives the right password (and may ' +
      'use the app) gets `401 TOTP_REQUIRED` with `details.challenge` (opaque; valid 5 ' +
      'minutes, once, from this address, for this app and account) and `details.expiresAt`: ' +
      'send it with a code to `POST /api/auth/login/2fa`, which answers as this route would ' +
      '(the refresh transport and `remember` asked for here carry over).',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({
    status: 401,
    description:
      'INVALID_CREDENTIALS; or TOTP_REQUIRED (the right password of an account with ' +
      'two-factor sign-in), with `details.challenge` for `POST /api/auth/login/2fa`.',
    type: TotpRequiredErrorDto,
  })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.ROLE_NOT_ALLOWED,
    ErrorCode.ACCOUNT_DISABLED,
    ErrorCode.SESSION_LIMIT,
    ErrorCode.RATE_LIMITED,
  )
  async login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.deliver(reply, await this.auth.login(dto, clientOf(request)));
  }

  @Post('login/2fa')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish a two-factor sign-in with a code',
    description:
      'The second step after `401 TOTP_REQUIRED`: its `challenge` and either `code` (the ' +
      'current 6 digits of the authenticator app; one step of clock drift either way; each ' +
      'code works once) or `recoveryCode` (each works once). Answers as `POST /api/auth/login` ' +
      'does, with the refresh transport and `remember` the password step asked for. The ' +
      'challenge is bound to the address and app of the password step (`app`, when sent, must ' +
      'match), lives 5 minutes and is used once; otherwise, or once it is used up, ' +
      '`401 INVALID_CREDENTIALS` (enter the password again). A wrong code is ' +
      '`401 TOTP_INVALID` with `details.attemptsLeft` (5 per challenge) and counts as a failed ' +
      'sign-in of the account, before it is checked, on the same limits as passwords (`429` ' +
      'with `Retry-After`); audited as `login_failed` with `reason: "totp"`. A password, role, ' +
      'activity or two-factor change since the password step: `401 INVALID_CREDENTIALS`.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.INVALID_CREDENTIALS,
    ErrorCode.TOTP_INVALID,
    ErrorCode.SESSION_LIMIT,
    ErrorCode.RATE_LIMITED,
  )
  async loginSecondFactor(
    @Body() dto: LoginTwoFactorDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.deliver(reply, await this.auth.loginSecondFactor(dto, clientOf(request)));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for new tokens',
    description:
      'Every refresh rotates the refresh token. The token comes from the body, else from the ' +
      '`rt_<app>` cookie; a JSON body is always required. The new refresh token goes back the ' +
      'way the old one came: one read from the cookie is answered with a new cookie only, never ' +
      'in the body, whatever `refreshTransport` says.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.REFRESH_INVALID,
    ErrorCode.REFRESH_REUSED,
    ErrorCode.SESSION_REVOKED,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  )
  async refresh(
    @Body() dto: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const cookie = this.cookies.read(request, dto.app);
    return this.deliver(reply, await this.auth.refresh(dto, cookie, clientOf(request)));
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'End the current session',
    description:
      'Identified by the bearer token (also an expired one) or else by the refresh token from ' +
      'the body or the `rt_<app>` cookie of `app`. Idempotent; clears the cookie. A request ' +
      'that names no session unambiguously (no usable bearer, several `rt_` cookies and no ' +
      "`app`), or whose `app` is not the session's, gets `400 VALIDATION_FAILED` on `app` and " +
      'ends nothing.',
  })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  async logout(
    @Body() dto: LogoutDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const app = await this.auth.logout(
      {
        bearer: bearerOf(request),
        app: dto.app,
        refreshToken: dto.refreshToken,
        cookies: this.cookies.readAll(request),
      },
      clientOf(request),
    );
    if (app) this.cookies.clear(reply, app);
  }

  @Post('logout-all')
  @DuringTwoFactorSetup()
  @HttpCode(204)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({ summary: 'End every session of the caller (or every other one)' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ...TOKEN_ERRORS)
  async logoutAll(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: LogoutAllDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const keepCurrent = dto.keepCurrent ?? false;
    await this.auth.logoutAll(auth, keepCurrent, clientOf(request));
    if (!keepCurrent) this.cookies.clear(reply, auth.app);
  }

  @Get('me')
  @DuringTwoFactorSetup()
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({ summary: 'The signed-in user and session' })
  @ApiOkResponse({ type: MeResponseDto })
  @ApiErrors(...TOKEN_ERRORS)
  me(@CurrentAuth() auth: AuthContext): MeResponseDto | Promise<MeResponseDto> {
    return this.auth.me(auth);
  }

  @Get('sign-ins')
  @Roles(...ACCOUNT_ROLES)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'The caller’s recent sign-ins',
    description:
      'The last 50 sign-in attempts of the caller’s account, newest first: successful ' +
      'sign-ins and failed ones (a wrong password for this account, or a wrong current ' +
      'password when changing it), with the device label and address they came from. Not ' +
      'for guests, who never sign in with a password (`403 FORBIDDEN`).',
  })
  @ApiOkResponse({ type: SignInDto, isArray: true })
  @ApiErrors(ErrorCode.FORBIDDEN, ...TOKEN_ERRORS)
  signIns(@CurrentAuth() auth: AuthContext): Promise<SignInDto[]> {
    return this.auth.signIns(auth);
  }

  @Post('change-password')
  @Roles(...ACCOUNT_ROLES)
  @HttpCode(204)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'Change the password; every other session of the user ends',
    description: 'Not for guests, who have no password (`403 FORBIDDEN`): they upgrade instead.',
  })
  @ApiNoContentResponse()
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.INVALID_CREDENTIALS,
    ErrorCode.FORBIDDEN,
    ...TOKEN_ERRORS,
  )
  changePassword(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.auth.changePassword(auth, dto, clientOf(request));
  }

  /** Puts the refresh token where the client asked for it: the app's cookie or the body. */
  private deliver(reply: FastifyReply, issued: IssuedTokens): TokenResponseDto {
    const { transport, refreshToken, remember, ...body } = issued;
    if (transport === 'body') return { ...body, refreshToken };
    const expiresAt = remember ? new Date(issued.session.expiresAt) : undefined;
    this.cookies.set(reply, issued.session.app, refreshToken, expiresAt);
    return body;
  }
}
