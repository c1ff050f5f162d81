/**
 * The error bodies a client of the real service meets: vLLM's two OpenAI-style shapes and the
 * IONOS gateway's shape. Status, message and type travel together in ApiError so the handler can
 * throw from deep inside validation and render the body once, in whichever shape is configured.
 */

export type VllmErrorShape = 'new' | 'old';
export type AuthErrorShape = 'ionos' | 'vllm';

const ERROR_TYPES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'AuthenticationError',
  404: 'NotFoundError',
  405: 'MethodNotAllowed',
  413: 'BadRequestError',
  429: 'RateLimitError',
  500: 'InternalServerError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
  504: 'GatewayTimeoutError',
};

export function errorTypeFor(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequestError');
}

export class ApiError extends Error {
  readonly type: string;

  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    type?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.type = type ?? errorTypeFor(status);
  }
}

export function badRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, message, param);
}

export function vllmErrorBody(error: ApiError, shape: VllmErrorShape): unknown {
  const fields = { message: error.message, type: error.type, param: error.param, code: error.status };
  return shape === 'new' ? { error: fields } : { object: 'error', ...fields };
}

/** The IONOS AI Model Hub gateway answers before vLLM sees the request. */
export function gatewayErrorBody(status: number, errorCode: string, message: string): unknown {
  return { httpStatus: status, messages: [{ errorCode, message }] };
}

export function unauthorizedBody(shape: AuthErrorShape): unknown {
  return shape === 'ionos'
    ? gatewayErrorBody(401, 'paas-auth-1', 'Unauthorized, wrong or no api key provided to process this request')
    : // vLLM's --api-key middleware answers with a bare string, not its usual error object.
      { error: 'Unauthorized' };
}
