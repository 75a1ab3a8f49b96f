/**
 * The SDK's default credential chain as the functions' bundles have it: the environment only. The bundling
 * (infra/constructs/bundling.ts) puts this module where every client's runtime config imports
 * `@aws-sdk/credential-provider-node`. In Lambda the credentials are always the execution role's, in the
 * environment; the chain's other sources (shared config files, SSO, web identity, process, container and instance
 * metadata) never answer there, and with the STS, SSO and sign-in clients they bring they are about 125 KB of
 * every bundle, read and compiled on every cold start. The local stack runs the handlers unbundled, with the
 * whole chain.
 */
import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/** What the clients call for their credentials, under the name the credential chain's package gives it. */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
