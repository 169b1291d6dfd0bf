// Logon credentials. The user name comes from the URI; the token sent as the password comes from an
// Authenticator, so single sign-on or rotating tokens plug in without touching the connection code.

/**
 * Supplies the password (token) a logon sends. Each method may return the value or a promise of it.
 *
 * - `authenticate(user, password)` is called once per logon with the user and password from the URI (both `''`
 *   when absent) and returns the token to send as `pw`.
 * - `retry(user, password)` is called when the server answers the logon with `status: "retry"` (its ack carries
 *   the user and a new token); it returns the token for the next logon attempt on the same connection.
 * - `completed(user, password, reason)` is called once the server accepted the logon.
 */
export interface Authenticator {
  authenticate(user: string, password: string): string | Promise<string>;
  retry(user: string, password: string): string | Promise<string>;
  completed(user: string, password: string, reason: string): void;
}

/** Sends the password given in the URI (`tcp://user:password@host:port/amps/json`), unchanged. */
export class DefaultAuthenticator implements Authenticator {
  authenticate(_user: string, password: string): string {
    return password;
  }
  retry(_user: string, password: string): string {
    return password;
  }
  completed(): void {
    // nothing to remember
  }
}
