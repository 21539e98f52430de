/** The `Basic` credentials header value for a user name and password (RFC 7617 §2, UTF-8 per §2.1). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
