/** Real-registry test harness: local Distribution registries, a token server, image pushes, fault servers. */
export { startRegistry } from './start-registry.js';
export { pushImage } from './push-image.js';
export { deleteImage } from './delete-image.js';
export { ENDLESS_HEADERS_LIMIT_BYTES, startFaultServer } from './fault-server.js';
export { BLOCKED_REALM, HUGE_BODY_BYTES } from './fault-http.js';
export { defaultTokenAcl, TOKEN_ISSUER, TOKEN_SERVICE } from './token-server.js';
export { MEDIA_TYPES } from './image-builder.js';
export { dockerConfigJson } from './docker-config.js';
export type {
  AccessLogEntry,
  FaultKind,
  FaultServer,
  FaultServerOptions,
  ImagePlatform,
  PushedImage,
  PushFormat,
  PushImageOptions,
  RegistryHandle,
  RegistryMode,
  StartRegistryOptions,
  TokenAcl,
  TokenAction,
  TokenRequestRecord,
  TokenServerInfo,
} from './types.js';
