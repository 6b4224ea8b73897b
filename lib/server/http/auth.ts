// Optional Bearer API key for /v1/*. Both sides are hashed first so the
// comparison is constant-time whatever the lengths.
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** returns a checker for Authorization header values; throws HttpError 401 */
export function bearerChecker(apiKey: string): (authorization: string | undefined) => void {
  const expected = digest(apiKey);
  return (authorization) => {
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      throw new HttpError(
        401,
        'invalid_api_key',
        'authorization: a valid "Bearer <api key>" header is required',
        null,
        { 'www-authenticate': 'Bearer' },
      );
    }
  };
}
