export { basicAuth } from './basic';
export { OAuth2ClientCredentials } from './oauth2-client-credentials';
export type {
  SapAuth,
  SapAuthOptions,
  SapBasicAuthOptions,
  SapOAuth2ClientCredentialsOptions,
  SapX509AuthOptions,
} from './sap-auth';
export { x509Auth, x509Tls } from './x509';
