import { Credentials } from 'n8n-core';
import {
  ICredentialsHelper,
  type ICredentialDataDecryptedObject,
  type ICredentialType,
  type IHttpRequestOptions,
  type INodeCredentialsDetails,
  type INodeProperties,
} from 'n8n-workflow';

/** Decrypted credential data by credential type name, e.g. `{ taktSapApi: { baseUrl, user, password } }`. */
export type CredentialMap = Record<string, ICredentialDataDecryptedObject>;

/**
 * n8n's credentials service for tests: a node's `getCredentials(type)` gets a copy of `credentials[type]`, as n8n
 * would after decrypting the stored credential. A type the test did not supply fails with a message naming it.
 * Credential classes, when given, answer `authenticate` (function form) and the properties lookup; updates a node
 * writes back (OAuth token data) are kept in `updates` for assertions.
 */
export class MapCredentialsHelper extends ICredentialsHelper {
  readonly updates: { type: string; data: ICredentialDataDecryptedObject }[] = [];

  private readonly types: Map<string, ICredentialType>;

  constructor(
    private readonly credentials: CredentialMap = {},
    credentialTypes: readonly ICredentialType[] = [],
  ) {
    super();
    this.types = new Map(credentialTypes.map((type) => [type.name, type]));
  }

  getParentTypes(name: string): string[] {
    const parents = this.types.get(name)?.extends ?? [];
    return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
  }

  /** Whether the test supplied credentials of this type. */
  has(type: string): boolean {
    return this.credentials[type] !== undefined;
  }

  isCredentialUsableByNode(): boolean {
    return true;
  }

  async authenticate(
    credentials: ICredentialDataDecryptedObject,
    typeName: string,
    requestOptions: IHttpRequestOptions,
  ): Promise<IHttpRequestOptions> {
    const authenticate = this.types.get(typeName)?.authenticate;
    if (authenticate === undefined) return requestOptions;
    if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
    throw new Error(
      `credential type "${typeName}" authenticates declaratively, which the harness does not resolve; ` +
        'test it against the real n8n (npm run test:n8n)',
    );
  }

  async preAuthentication(): Promise<undefined> {
    return undefined;
  }

  async runPreAuthentication(): Promise<undefined> {
    return undefined;
  }

  async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
    return new Credentials(nodeCredentials, type);
  }

  async getDecrypted(
    _additionalData: unknown,
    _nodeCredentials: INodeCredentialsDetails,
    type: string,
  ): Promise<ICredentialDataDecryptedObject> {
    const data = this.credentials[type];
    if (data === undefined) {
      const known = Object.keys(this.credentials).join(', ') || 'none';
      throw new Error(`the test supplied no "${type}" credentials (it supplied: ${known})`);
    }
    return structuredClone(data);
  }

  async updateCredentials(
    _nodeCredentials: INodeCredentialsDetails,
    type: string,
    data: ICredentialDataDecryptedObject,
  ): Promise<void> {
    this.updates.push({ type, data });
  }

  async updateCredentialsOauthTokenData(
    _nodeCredentials: INodeCredentialsDetails,
    type: string,
    data: ICredentialDataDecryptedObject,
  ): Promise<void> {
    this.updates.push({ type, data });
  }

  getCredentialsProperties(type: string): INodeProperties[] {
    return this.types.get(type)?.properties ?? [];
  }
}
