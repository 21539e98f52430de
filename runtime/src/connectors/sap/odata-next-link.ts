import { TaktError, redactUrl } from '../../errors';

/** What the read loop sends next: a server link as it is, or the entity set path with client paging options. */
export type PageRequest =
  | { readonly kind: 'link'; readonly url: string }
  | { readonly kind: 'window'; readonly query: Readonly<Record<string, string>> };

export interface PageSeen {
  /** The URL the page was requested with: the base a relative next link resolves against. */
  readonly requestUrl: string;
  readonly records: number;
  /** The server's next link, as sent. */
  readonly nextLink?: string;
  /** The key of the page's first record, to notice a server that ignores `$skip`. */
  readonly firstKey?: string;
}

/**
 * Paging of one read, both ways OData servers do it (reference A.6), and both at once:
 *
 * - Server-driven: a page carries `__next` (V2) / `@odata.nextLink` (V4), usually holding a `$skiptoken`.
 *   The link is opaque: it is resolved against the URL of the request that returned it (RFC 3986; it may be
 *   relative, or absolute on another host name, reference 0) and followed as it is.
 * - Client-driven: SAP services that do not page themselves (reference A.6: which ones is open, F.1) answer
 *   `$top` records; a full window is followed by the next `$skip` window, a short one ends the read.
 *
 * A window is one `$top`/`$skip` request plus the links the server chains from it; `$top` bounds the whole
 * chain, so only a chain that delivered exactly `$top` records asks for another window. A chain that
 * delivered more means the server ignored `$top` and sent everything: the read ends there.
 *
 * A server that sends a link it sent before, or the same skiptoken again, would loop forever; so would one
 * that ignores `$skip` and answers the first window again. Both fail with PAGE_LINK_REPEATED (the Singer SDK
 * paginators do the same).
 */
export class ODataPaging {
  private readonly seenLinks = new Set<string>();
  private readonly seenTokens = new Set<string>();
  private skip = 0;
  private inWindow = 0;
  private windowFirstKey: string | undefined;
  private windowStarted = true;
  private previousWindowFirstKey: string | undefined;

  constructor(private readonly pageSize: number) {}

  first(): PageRequest {
    return { kind: 'window', query: this.windowQuery() };
  }

  /** The request after a page, or undefined when the read is complete. */
  next(page: PageSeen): PageRequest | undefined {
    if (this.windowStarted) {
      this.windowStarted = false;
      this.windowFirstKey = page.firstKey;
      if (this.skip > 0 && page.firstKey !== undefined && page.firstKey === this.previousWindowFirstKey) {
        throw repeated(
          `answered $skip=${this.skip} with the same first record as the window before (key ${page.firstKey}); ` +
            'it ignores $skip',
          page.requestUrl,
        );
      }
    }
    this.inWindow += page.records;
    if (page.nextLink !== undefined) return { kind: 'link', url: this.follow(page.nextLink, page.requestUrl) };
    if (this.inWindow !== this.pageSize) return undefined;
    this.skip += this.pageSize;
    this.inWindow = 0;
    this.previousWindowFirstKey = this.windowFirstKey;
    this.windowStarted = true;
    return { kind: 'window', query: this.windowQuery() };
  }

  private windowQuery(): Record<string, string> {
    return { $top: String(this.pageSize), ...(this.skip > 0 ? { $skip: String(this.skip) } : {}) };
  }

  private follow(link: string, requestUrl: string): string {
    let resolved: string;
    try {
      resolved = new URL(link, requestUrl).href;
    } catch (cause) {
      throw new TaktError('RESPONSE_INVALID', `The server sent a next link that is not a URL: ${link.slice(0, 200)}`, {
        cause,
      });
    }
    const token = skipToken(resolved);
    if (
      this.seenLinks.has(resolved) ||
      resolved === new URL(requestUrl).href ||
      (token && this.seenTokens.has(token))
    ) {
      throw repeated('sent a next link it had sent before', resolved);
    }
    this.seenLinks.add(resolved);
    if (token) this.seenTokens.add(token);
    return resolved;
  }
}

function skipToken(url: string): string | undefined {
  const match = /[?&]\$skiptoken=([^&]*)/i.exec(url);
  return match?.[1] ? match[1] : undefined;
}

function repeated(what: string, url: string): TaktError {
  return new TaktError(
    'PAGE_LINK_REPEATED',
    `The server ${what} (${redactUrl(url)}). Reading on would return the same records again forever, so the ` +
      'read stopped. This is a server-side paging defect: report it to the system owner; a smaller page size ' +
      'or a narrower filter may avoid it.',
    { details: { url: redactUrl(url) } },
  );
}
