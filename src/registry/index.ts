/**
 * Registry access for pinning base images: parse references, read Docker
 * credentials, resolve tags to digests over the OCI distribution API.
 */
export { RegistryError, InvalidReferenceError, type RegistryErrorReason, type RegistryErrorDetails } from './errors.js';
export {
  parseReference,
  formatReference,
  canonicalName,
  isScratch,
  DOCKER_HUB_DOMAIN,
  DOCKER_HUB_REGISTRY,
  type ImageReference,
  type FormatOverrides,
} from './reference.js';
export {
  DockerConfigCredentials,
  loadDockerCredentials,
  dockerConfigPath,
  registryHostForConfigKey,
  type CredentialStore,
  type RegistryCredentials,
  type LoadDockerCredentialsOptions,
} from './credentials.js';
export {
  RegistryClient,
  MANIFEST_MEDIA_TYPES,
  type RegistryClientOptions,
  type ListTagsOptions,
  type LatestVersionOptions,
  type LatestVersion,
} from './client.js';
export { isLoopbackHost, registryBaseUrl } from './http.js';
export { parseVersionTag, type VersionTag } from './versions.js';
