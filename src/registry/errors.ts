/**
 * Errors raised by the registry client.
 *
 * Every failure that leaves this module is a `RegistryError` whose message is
 * short and safe to print: it names the image and, when there is one, the HTTP
 * status. It never carries credentials, Authorization headers, response bodies
 * or the stack of the HTTP stack underneath (no `cause` is attached on purpose:
 * a fetch `cause` can hold request details we do not want in logs).
 */

export type RegistryErrorReason =
  /** The image reference text is not a valid reference. */
  | 'invalid-reference'
  /** The registry has no such repository, tag or digest (404). */
  | 'not-found'
  /** The registry (or its token service) wants credentials we do not have or refused ours (401). */
  | 'unauthorized'
  /** Authenticated, but not allowed (403). */
  | 'denied'
  /** Connection refused, DNS failure, reset… */
  | 'network'
  /** The request did not finish within the client's timeout. */
  | 'timeout'
  /** The registry answered something this client cannot use (bad status, bad JSON, bad header…). */
  | 'protocol'
  /** The Docker config file could not be read or parsed. */
  | 'config'
  /** The reference can never be resolved (e.g. `scratch`). */
  | 'unsupported';

export interface RegistryErrorDetails {
  reason: RegistryErrorReason;
  /** The image as the user wrote it, when the error is about one image. */
  image?: string;
  /** The HTTP status that caused the failure, when there is one. */
  status?: number;
}

export class RegistryError extends Error {
  override readonly name: string = 'RegistryError';
  readonly reason: RegistryErrorReason;
  readonly image: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, details: RegistryErrorDetails) {
    super(message);
    this.reason = details.reason;
    this.image = details.image;
    this.status = details.status;
  }
}

/** Thrown by `parseReference` for text that is not an image reference. */
export class InvalidReferenceError extends RegistryError {
  override readonly name: string = 'InvalidReferenceError';

  constructor(text: string, why: string) {
    super(`invalid image reference ${JSON.stringify(text)}: ${why}`, {
      reason: 'invalid-reference',
      image: text,
    });
  }
}
