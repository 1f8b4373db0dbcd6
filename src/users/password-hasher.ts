import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** argon2id hashing (the package's default algorithm, with its OWASP-level costs); `@node-rs/argon2` runs it on libuv's thread pool, off the event loop. */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      // A malformed stored hash must never crash a login: it is simply not a match.
      return false;
    }
  }
}
