/**
 * Schemas of the JSON a registry or token server sends us (untrusted input): validated here, trusted after.
 * Unknown fields are allowed everywhere, as the specs require clients to ignore them.
 */
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { jsonDepthExceeds } from '../../runtime/json-depth.js';

/** Distribution token spec response (`docs/spec/auth/token.md`). */
const TokenResponseSchema = Type.Object({
  token: Type.Optional(Type.String()),
  access_token: Type.Optional(Type.String()),
  expires_in: Type.Optional(Type.Number()),
  issued_at: Type.Optional(Type.String()),
});

/** Error body of the distribution spec: `{"errors":[{"code":…,"message":…,"detail":…}]}`. */
const ErrorBodySchema = Type.Object({
  errors: Type.Array(Type.Object({ code: Type.String(), message: Type.Optional(Type.Unknown()) }), { maxItems: 100 }),
});

const PlatformSchema = Type.Object({
  os: Type.String(),
  architecture: Type.String(),
  variant: Type.Optional(Type.String()),
});

/** OCI image index / Docker manifest list: only what the platform check needs. */
const IndexSchema = Type.Object({
  mediaType: Type.Optional(Type.String()),
  manifests: Type.Array(
    Type.Object({
      mediaType: Type.Optional(Type.String()),
      digest: Type.String(),
      platform: Type.Optional(PlatformSchema),
    }),
    { maxItems: 10_000 },
  ),
});

const TagListSchema = Type.Object({
  name: Type.Optional(Type.String()),
  tags: Type.Union([Type.Array(Type.String(), { maxItems: 100_000 }), Type.Null()]),
});

export type TokenResponse = Static<typeof TokenResponseSchema>;
export type ErrorBody = Static<typeof ErrorBodySchema>;
export type IndexBody = Static<typeof IndexSchema>;
export type TagList = Static<typeof TagListSchema>;

const tokenResponse = Compile(TokenResponseSchema);
const errorBody = Compile(ErrorBodySchema);
const indexBody = Compile(IndexSchema);
const tagList = Compile(TagListSchema);

/**
 * Deepest nesting accepted in a registry's JSON. Manifests, indexes, token responses, error bodies and tag lists
 * nest 5 levels or fewer (an index: object → manifests → entry → platform → os.features); anything past this is
 * hostile, and is refused before `JSON.parse` builds it (runtime/json-depth.ts).
 */
export const MAX_REGISTRY_JSON_DEPTH = 64;

export type ParsedJson =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: 'not-json' | 'too-deep' };

/** JSON bytes from a registry, parsed once, after the depth check. */
export function parseRegistryJson(bytes: Buffer | undefined): ParsedJson {
  if (bytes === undefined || bytes.length === 0) return { ok: false, problem: 'not-json' };
  if (jsonDepthExceeds(bytes, MAX_REGISTRY_JSON_DEPTH)) return { ok: false, problem: 'too-deep' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, problem: 'not-json' };
  }
}

/** Parses JSON bytes and checks them against a compiled schema; undefined when either fails. */
function parseWith<T>(check: (value: unknown) => boolean, bytes: Buffer | undefined): T | undefined {
  const parsed = parseRegistryJson(bytes);
  return parsed.ok && check(parsed.value) ? (parsed.value as T) : undefined;
}

export const parseTokenResponse = (bytes: Buffer | undefined) =>
  parseWith<TokenResponse>((v) => tokenResponse.Check(v), bytes);
/** An already parsed manifest (manifest-body.ts parses each body once) that is an image index or manifest list. */
export const isIndexBody = (value: unknown): value is IndexBody => indexBody.Check(value);
export const parseTagList = (bytes: Buffer | undefined) => parseWith<TagList>((v) => tagList.Check(v), bytes);

/** The distribution error codes of an error body (upper-cased), or [] when there is none or it is not the spec shape. */
export function errorCodes(bytes: Buffer | undefined): string[] {
  const body = parseWith<ErrorBody>((v) => errorBody.Check(v), bytes);
  return body ? body.errors.map((e) => e.code.toUpperCase()) : [];
}
